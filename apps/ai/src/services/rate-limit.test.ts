import { describe, expect, it } from 'vitest'
import { createMemoryRateLimiter } from './rate-limit'

describe('memory rate limiter', () => {
  it('allows `limit` hits per window per key, then refuses with a retry hint until the window ends', async () => {
    let now = 0
    const limiter = createMemoryRateLimiter({ name: 'chat', limit: 2, windowMs: 10_000, now: () => now })
    await limiter.hit('a')
    await limiter.hit('a')
    await limiter.hit('b')
    await expect(limiter.hit('a')).rejects.toThrow(/Too many AI chat requests; try again in 10 s/)
    now = 10_000
    await expect(limiter.hit('a')).resolves.toBeUndefined()
  })
})
