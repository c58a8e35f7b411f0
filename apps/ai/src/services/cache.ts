import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { redisReady, type Logger } from '@mimiverse/server-kit'

/**
 * A string cache for completion results, keyed by model and a hash of the prompt. In-process LRU by default;
 * Redis (`REDIS_URL`) to share it between instances. A cache failure is a miss, never an error.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
}

/** A cache key from the model and every part of the prompt (SHA-256, so prompts never sit in Redis keys). */
export function cacheKey(model: string, ...parts: string[]): string {
  const h = createHash('sha256')
  for (const p of [model, ...parts]) h.update(`${p.length}:${p}`)
  return `${model}:${h.digest('hex')}`
}

export function createMemoryCache(opts: { maxEntries: number; ttlMs: number; now?: () => number }): Cache {
  const now = opts.now ?? Date.now
  const entries = new Map<string, { value: string; expires: number }>()
  return {
    get(key) {
      const e = entries.get(key)
      if (!e || e.expires <= now()) {
        entries.delete(key)
        return Promise.resolve(undefined)
      }
      // Re-inserting moves the entry to the end: Map order is the recency order.
      entries.delete(key)
      entries.set(key, e)
      return Promise.resolve(e.value)
    },
    set(key, value) {
      if (opts.maxEntries === 0) return Promise.resolve()
      entries.delete(key)
      entries.set(key, { value, expires: now() + opts.ttlMs })
      while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value as string)
      return Promise.resolve()
    },
  }
}

/** Keys are `complete:<key>` under the client's own `keyPrefix` (`mimi:ai:` for the service's client). */
export function createRedisCache(redis: Redis, opts: { ttlSeconds: number; log: Logger }): Cache {
  const prefix = 'complete:'
  return {
    async get(key) {
      try {
        await redisReady(redis)
        return (await redis.get(prefix + key)) ?? undefined
      } catch (e: unknown) {
        opts.log.warn('cache read failed', { error: e })
        return undefined
      }
    },
    async set(key, value) {
      try {
        await redisReady(redis)
        await redis.set(prefix + key, value, 'EX', opts.ttlSeconds)
      } catch (e: unknown) {
        opts.log.warn('cache write failed', { error: e })
      }
    },
  }
}
