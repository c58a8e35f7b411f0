import type { Redis } from 'ioredis'
import { AppError, ErrorCode } from '@mimiverse/shared'

/**
 * Fixed-window attempt counters. In memory for one process; in Redis when several nodes must share limits.
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; rejects with TOO_MANY_REQUESTS and a retry hint once over the limit. */
  hit(key: string): Promise<void>
}

export interface RateLimitOptions {
  limit: number
  windowMs: number
}

function tooMany(retryMs: number): AppError {
  return new AppError(
    ErrorCode.TooManyRequests,
    `Too many attempts; try again in ${Math.ceil(retryMs / 1000)} s`,
  )
}

export function createMemoryRateLimiter(
  opts: RateLimitOptions & {
    now?: () => number
    /** Bounds memory: the oldest windows are forgotten first. Default 100,000 keys. */
    maxKeys?: number
  },
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
      return w.count > opts.limit ? Promise.reject(tooMany(w.start + opts.windowMs - t)) : Promise.resolve()
    },
  }
}

/** The same limits shared by every node through Redis: INCR plus an expiry set once per window, atomically. */
export function createRedisRateLimiter(redis: Redis, name: string, opts: RateLimitOptions): RateLimiter {
  return {
    async hit(key) {
      const redisKey = `rl:${name}:${key}`
      const results = await redis
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, opts.windowMs, 'NX')
        .pttl(redisKey)
        .exec()
      const count = Number(results?.[0]?.[1] ?? 0)
      if (count > opts.limit) throw tooMany(Math.max(0, Number(results?.[2]?.[1] ?? opts.windowMs)))
    },
  }
}
