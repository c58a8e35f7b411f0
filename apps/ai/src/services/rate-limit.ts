import type { Redis } from 'ioredis'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from '../logger'
import { redisReady } from './redis-ready'

/**
 * Per-user fixed-window rate limits. In-process by default; in Redis (`REDIS_URL`) so several AI service
 * instances share the counts. Callers only see this interface.
 */
export interface RateLimiter {
  /** Counts one request for `key`; throws TOO_MANY_REQUESTS with a retry hint once over the limit. */
  hit(key: string): Promise<void>
}

export interface RateLimitOptions {
  /** Names the limit in keys and messages (`chat`, `complete`, `embed`). */
  name: string
  limit: number
  windowMs: number
}

function refuse(name: string, retryMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryMs / 1000))
  return new AppError(ErrorCode.TooManyRequests, `Too many AI ${name} requests; try again in ${seconds} s`)
}

export function createMemoryRateLimiter(
  opts: RateLimitOptions & { now?: () => number; maxKeys?: number },
): RateLimiter {
  const now = opts.now ?? Date.now
  const maxKeys = opts.maxKeys ?? 100_000
  const windows = new Map<string, { start: number; count: number }>()
  return {
    hit(key) {
      const t = now()
      let w = windows.get(key)
      if (!w || t - w.start >= opts.windowMs) {
        windows.delete(key)
        w = { start: t, count: 0 }
        windows.set(key, w)
        if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string)
      }
      w.count += 1
      if (w.count > opts.limit) return Promise.reject(refuse(opts.name, w.start + opts.windowMs - t))
      return Promise.resolve()
    },
  }
}

/**
 * The same limit kept in Redis: INCR a per-window key and set its expiry on first use (PEXPIRE NX, Redis 7).
 * When Redis does not answer, the request is let through and the failure logged: a rate limiter must not turn
 * a Redis outage into an AI outage.
 */
export function createRedisRateLimiter(redis: Redis, opts: RateLimitOptions & { log: Logger }): RateLimiter {
  return {
    async hit(key) {
      const k = `mimi:ai:rl:${opts.name}:${key}`
      let count: number
      let ttl: number
      try {
        await redisReady(redis)
        const res = await redis.multi().incr(k).pexpire(k, opts.windowMs, 'NX').pttl(k).exec()
        count = Number(res?.[0]?.[1])
        ttl = Number(res?.[2]?.[1])
      } catch (e: unknown) {
        opts.log.warn('rate limit check failed; allowing the request', { limit: opts.name, error: e })
        return
      }
      if (count > opts.limit) throw refuse(opts.name, ttl > 0 ? ttl : opts.windowMs)
    },
  }
}
