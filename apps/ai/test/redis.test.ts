import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { createLogger } from '@mimiverse/server-kit'
import { cacheKey, createRedisCache } from '../src/services/cache'
import {
  deadAddress,
  newAi,
  newOllama,
  newProject,
  newUser,
  onCleanup,
  REDIS_URL,
  redisAvailable,
} from './fixtures'

const log = createLogger('silent')

async function newRedis(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
  redis.on('error', () => {})
  onCleanup(() => redis.disconnect())
  await redis.connect().catch(() => {})
  return redis
}
const available = await redisAvailable()

describe.skipIf(!available)(`Redis-backed limits and cache (Redis at ${REDIS_URL})`, () => {
  it('shares rate limits and cached completions between two AI handlers', async () => {
    const ollama = await newOllama({ chunks: ['done()'] })
    const env = { OLLAMA_HOST: ollama.url, REDIS_URL, AI_COMPLETE_PER_MINUTE: '2' }
    const one = await newAi({ env })
    const user = await newUser(one.database)
    const { docs } = await newProject(one.database, user.id, { 'a.ts': '' })
    // A second handler on the same database: another instance behind a load balancer.
    const two = await newAi({ env, database: one.database })
    const prefix = `// ${randomUUID()}\n`
    const input = { docName: docs['a.ts']!, prefix, suffix: '' }
    const redis = await newRedis()
    onCleanup(() =>
      redis.del(
        `mimi:ai:rl:complete:${user.id}`,
        `mimi:ai:complete:${cacheKey('qwen2.5-coder:1.5b-base', 'raw', `<|fim_prefix|>${prefix}<|fim_suffix|><|fim_middle|>`, '')}`,
      ),
    )
    expect((await one.client(user.token).ai.complete.mutate(input)).cached).toBe(false)
    expect(await redis.exists(`mimi:ai:rl:complete:${user.id}`)).toBe(1)
    // The same user through the other instance: the count and the cache are shared.
    expect((await two.client(user.token).ai.complete.mutate(input)).cached).toBe(true)
    const refused = two.client(user.token).ai.complete.mutate(input)
    await expect(refused).rejects.toThrow(/Too many AI complete requests; try again in \d+ s/)
    expect(ollama.requests.filter((r) => r.path === '/api/generate')).toHaveLength(1)
  })

  // The Redis rate limiter itself (windows, expiry, failing open) is tested in @mimiverse/server-kit.
  it('treats a cache read or write as a miss when Redis is down', async () => {
    const dead = await newRedis(`redis://${await deadAddress()}`)
    const cache = createRedisCache(dead, { ttlSeconds: 60, log })
    await cache.set('k', 'v')
    expect(await cache.get('k')).toBeUndefined()
  })
})
