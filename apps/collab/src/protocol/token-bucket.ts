/**
 * A token bucket: `ratePerSecond` tokens flow in, at most `capacity` are kept, and each `take` spends some.
 * A steady sender below the rate never runs dry; a burst may spend what the quiet time before it saved, up
 * to `capacity`; a sender above the rate for longer is refused until the bucket refills. In memory, for one
 * socket: synchronous and O(1).
 */
export interface TokenBucket {
  /** Spends `n` tokens if there are that many and says so; spends nothing otherwise. */
  take(n?: number): boolean
}

export function createTokenBucket(opts: {
  ratePerSecond: number
  capacity: number
  /** The clock, in milliseconds; tests pass their own. Default `performance.now`. */
  now?: () => number
}): TokenBucket {
  const now = opts.now ?? (() => performance.now())
  let tokens = opts.capacity
  let at = now()
  return {
    take(n = 1) {
      const t = now()
      tokens = Math.min(opts.capacity, tokens + ((t - at) / 1000) * opts.ratePerSecond)
      at = t
      if (tokens < n) return false
      tokens -= n
      return true
    },
  }
}
