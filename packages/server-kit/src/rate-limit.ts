import type { Redis } from 'ioredis'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from './logger'
import { redisReady } from './redis-ready'

/**
 * Fixed-window rate limits: at most `limit` hits per key in each window of `windowMs`, the window starting at
 * the first hit. In memory for one process; in Redis when several nodes or instances must share the counts.
 * Callers only see this interface.
 */
export interface RateLimiter {
  /** Counts one hit for `key`; rejects with TOO_MANY_REQUESTS and a retry hint once over the limit. */
  hit(key: string): Promise<void>
}

export interface RateLimitOptions {
  /** Names the limit; the Redis key of `key` is `rl:<name>:<key>` (under the client's own `keyPrefix`). */
  name: string
  limit: number
  windowMs: number
  /**
   * What is counted, as the refusal names it: `Too many <label>; try again in N s`. Default `requests`
   * (the workspace API says `attempts`, the AI service `AI chat requests`).
   */
  label?: string
}

function refuse(opts: RateLimitOptions, retryMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryMs / 1000))
  const label = opts.label ?? 'requests'
  return new AppError(ErrorCode.TooManyRequests, `Too many ${label}; try again in ${seconds} s`)
}

export interface MemoryRateLimitOptions extends RateLimitOptions {
  /** The clock, in milliseconds; tests pass their own. Default `Date.now`. */
  now?: () => number
  /** Bounds memory: the oldest windows are forgotten first. Default 100,000 keys. */
  maxKeys?: number
}

export function createMemoryRateLimiter(opts: MemoryRateLimitOptions): RateLimiter {
  const now = opts.now ?? Date.now
  const maxKeys = opts.maxKeys ?? 100_000
  const windows = new Map<string, { start: number; count: number }>()
  return {
    hit(key) {
      const t = now()
      let w = windows.get(key)
      if (!w || t - w.start >= opts.windowMs) {
        // Re-inserting moves the key to the end: Map order is then the order in which windows started.
        windows.delete(key)
        w = { start: t, count: 0 }
        windows.set(key, w)
        if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string)
      }
      w.count += 1
      if (w.count > opts.limit) return Promise.reject(refuse(opts, w.start + opts.windowMs - t))
      return Promise.resolve()
    },
  }
}

export interface RedisRateLimitOptions extends RateLimitOptions {
  /**
   * Makes the limiter fail open: when Redis is not ready or a command fails, the hit is let through and the
   * failure logged here, so a Redis outage does not become an outage of what is limited (the AI service).
   * Without it the Redis error rejects the hit (fail closed: the workspace API's sign-in refuses rather than
   * allow unlimited password guessing while Redis is down).
   */
  log?: Logger
}

/**
 * The same limit shared by every node through Redis: INCR a per-window key and set its expiry on first use
 * (PEXPIRE NX, Redis 7), atomically in one MULTI.
 */
export function createRedisRateLimiter(redis: Redis, opts: RedisRateLimitOptions): RateLimiter {
  const { log } = opts
  const count = async (key: string): Promise<{ count: number; ttl: number }> => {
    const k = `rl:${opts.name}:${key}`
    if (log) await redisReady(redis)
    const res = await redis.multi().incr(k).pexpire(k, opts.windowMs, 'NX').pttl(k).exec()
    return { count: Number(res?.[0]?.[1] ?? 0), ttl: Number(res?.[2]?.[1]) }
  }
  return {
    async hit(key) {
      let seen: { count: number; ttl: number }
      try {
        seen = await count(key)
      } catch (e: unknown) {
        if (!log) throw e
        log.warn('rate limit check failed; allowing the request', { limit: opts.name, error: e })
        return
      }
      if (seen.count > opts.limit) throw refuse(opts, seen.ttl > 0 ? seen.ttl : opts.windowMs)
    },
  }
}
