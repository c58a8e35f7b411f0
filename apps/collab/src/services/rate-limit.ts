import { AppError, ErrorCode } from '@mimiverse/shared'

/**
 * Fixed-window counters kept in memory: enough for one process. Several collab nodes share limits through
 * Redis instead (see the production issue); callers only see this interface.
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; throws TOO_MANY_REQUESTS with a retry hint once over the limit. */
  hit(key: string): void
}

export function createMemoryRateLimiter(opts: {
  limit: number
  windowMs: number
  now?: () => number
  /** Bounds memory: the oldest windows are forgotten first. Default 100,000 keys. */
  maxKeys?: number
}): RateLimiter {
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
      if (w.count > opts.limit) {
        const retry = Math.ceil((w.start + opts.windowMs - t) / 1000)
        throw new AppError(ErrorCode.TooManyRequests, `Too many attempts; try again in ${retry} s`)
      }
    },
  }
}
