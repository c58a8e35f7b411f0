import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis, type RedisOptions } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from './logger'
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limit'

/** Redis 7 on this machine (CI: a redis service); override with TEST_REDIS_URL. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A client that is disconnected after the test; `options` as each service configures its own. */
function newRedis(options: RedisOptions, url = REDIS_URL): Redis {
  const redis = new Redis(url, options)
  redis.on('error', () => {})
  cleanups.push(() => redis.disconnect())
  return redis
}

/** A loopback address where nothing listens (a port that was just free). */
async function deadAddress(): Promise<string> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return `127.0.0.1:${port}`
}

describe('memory rate limiter', () => {
  // The workspace API counts sign-in `attempts`; the AI service `AI chat requests` (and complete, embed).
  it.each(['attempts', 'AI chat requests'])(
    'allows `limit` hits per window per key, then refuses ("Too many %s") until the window ends',
    async (label) => {
      let now = 0
      const limiter = createMemoryRateLimiter({
        name: 'n',
        label,
        limit: 2,
        windowMs: 10_000,
        now: () => now,
      })
      await limiter.hit('a')
      await limiter.hit('a')
      await limiter.hit('b')
      await expect(limiter.hit('a')).rejects.toThrow(`Too many ${label}; try again in 10 s`)
      now = 9_001
      await expect(limiter.hit('a')).rejects.toThrow(`Too many ${label}; try again in 1 s`)
      now = 10_000
      await expect(limiter.hit('a')).resolves.toBeUndefined()
    },
  )

  it('forgets the oldest keys beyond maxKeys', async () => {
    const limiter = createMemoryRateLimiter({ name: 't', limit: 1, windowMs: 60_000, maxKeys: 2 })
    await limiter.hit('a')
    await limiter.hit('b')
    await limiter.hit('c')
    await limiter.hit('a')
    await expect(limiter.hit('c')).rejects.toThrow(/^Too many requests; try again in \d+ s$/)
  })
})

describe('redis rate limiter', () => {
  it('shares one window between limiters (nodes) and expires it, under the client key prefix', async () => {
    // As the collab server connects: a key prefix per deployment, commands queued while reconnecting.
    const options = { keyPrefix: `test-${randomUUID()}:`, maxRetriesPerRequest: 2, enableOfflineQueue: true }
    const a = newRedis(options)
    const b = newRedis(options)
    cleanups.push(() => a.del('rl:signIn:k', 'rl:signIn:other'))
    const opts = { name: 'signIn', label: 'attempts', limit: 3, windowMs: 60_000 }
    const nodeA = createRedisRateLimiter(a, opts)
    const nodeB = createRedisRateLimiter(b, opts)
    await nodeA.hit('k')
    await nodeB.hit('k')
    await nodeA.hit('k')
    await expect(nodeB.hit('k')).rejects.toThrow(/^Too many attempts; try again in (59|60) s$/)
    await nodeB.hit('other')
    expect(await a.pttl('rl:signIn:k')).toBeGreaterThan(0)
    const plain = newRedis({})
    expect(await plain.exists(`${options.keyPrefix}rl:signIn:k`)).toBe(1)
  })

  it('counts per window with an expiry, and with a logger lets requests through when Redis is down', async () => {
    // As the AI service connects: no offline queue, so a Redis outage fails at once instead of waiting.
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true }
    const log = createLogger('silent')
    const redis = newRedis(options)
    await redis.connect()
    const key = randomUUID()
    cleanups.push(() => redis.del(`rl:test:${key}`))
    const limiter = createRedisRateLimiter(redis, { name: 'test', limit: 1, windowMs: 60_000, log })
    await limiter.hit(key)
    await expect(limiter.hit(key)).rejects.toThrow(/try again in (59|60) s/)
    expect(await redis.pttl(`rl:test:${key}`)).toBeGreaterThan(50_000)

    const lines: string[] = []
    const dead = newRedis(options, `redis://${await deadAddress()}`)
    await dead.connect().catch(() => {})
    const logged = createLogger('warn', {}, (line) => lines.push(line))
    const open = createRedisRateLimiter(dead, { name: 'test', limit: 1, windowMs: 1000, log: logged })
    await expect(open.hit('k')).resolves.toBeUndefined()
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', limit: 'test' })
  })

  it('without a logger rejects the hit when Redis fails (fails closed)', async () => {
    const dead = newRedis(
      { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true },
      `redis://${await deadAddress()}`,
    )
    await dead.connect().catch(() => {})
    const closed = createRedisRateLimiter(dead, { name: 'test', limit: 1, windowMs: 1000 })
    await expect(closed.hit('k')).rejects.toThrow()
  })
})
