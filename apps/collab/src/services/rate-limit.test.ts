import { describe, expect, it } from 'vitest'
import { createMemoryRateLimiter } from './rate-limit'

describe('memory rate limiter', () => {
  it('allows `limit` hits per window per key, then refuses with a retry hint until the window ends', () => {
    let now = 0
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 10_000, now: () => now })
    limiter.hit('a')
    limiter.hit('a')
    limiter.hit('b')
    expect(() => limiter.hit('a')).toThrow(/try again in 10 s/)
    now = 10_000
    expect(() => limiter.hit('a')).not.toThrow()
  })

  it('forgets the oldest keys beyond maxKeys', () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 })
    limiter.hit('a')
    limiter.hit('b')
    limiter.hit('c')
    expect(() => limiter.hit('a')).not.toThrow()
  })
})
