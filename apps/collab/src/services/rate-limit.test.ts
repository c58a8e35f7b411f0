import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limit'
import { connectRedis } from './redis'

describe('memory rate limiter', () => {
  it('allows `limit` hits per window per key, then refuses with a retry hint until the window ends', async () => {
    let now = 0
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 10_000, now: () => now })
    await limiter.hit('a')
    await limiter.hit('a')
    await limiter.hit('b')
    await expect(limiter.hit('a')).rejects.toThrow(/try again in 10 s/)
    now = 10_000
    await limiter.hit('a')
  })

  it('forgets the oldest keys beyond maxKeys', async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 })
    await limiter.hit('a')
    await limiter.hit('b')
    await limiter.hit('c')
    await limiter.hit('a')
  })
})

describe('redis rate limiter', () => {
  it('shares one window between limiters (nodes) and expires it', async () => {
    const prefix = `test-${randomUUID()}`
    const a = connectRedis('redis://127.0.0.1:6379', prefix)
    const b = connectRedis('redis://127.0.0.1:6379', prefix)
    try {
      const nodeA = createRedisRateLimiter(a, 'signIn', { limit: 3, windowMs: 60_000 })
      const nodeB = createRedisRateLimiter(b, 'signIn', { limit: 3, windowMs: 60_000 })
      await nodeA.hit('k')
      await nodeB.hit('k')
      await nodeA.hit('k')
      await expect(nodeB.hit('k')).rejects.toThrow(/try again in (59|60) s/)
      await nodeB.hit('other')
      expect(await a.pttl('rl:signIn:k')).toBeGreaterThan(0)
    } finally {
      await a.del('rl:signIn:k', 'rl:signIn:other')
      a.disconnect()
      b.disconnect()
    }
  })
})
