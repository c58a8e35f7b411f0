/**
 * A circuit breaker per backend. Closed: calls go through and failures are counted. After `failures`
 * consecutive failures it opens: calls fail at once (no waiting on a dead host) until `cooldownMs` has passed,
 * then one trial call is let through (half-open); its success closes the circuit, its failure opens it again.
 */
export const BreakerState = { Closed: 'closed', Open: 'open', HalfOpen: 'half-open' } as const
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState]

export interface Breaker {
  readonly name: string
  /** The state now (an open circuit whose cooldown has passed reads as half-open). */
  state(): BreakerState
  /** Whether a call may go out now; in half-open, only the first caller gets `true`. */
  allow(): boolean
  success(): void
  failure(): void
}

export interface BreakerOptions {
  name: string
  /** Consecutive failures that open the circuit. */
  failures: number
  cooldownMs: number
  now?: () => number
  /** Called on every change of state (for logs and the metrics gauge). */
  onChange?: (state: BreakerState) => void
}

export function createBreaker(opts: BreakerOptions): Breaker {
  const now = opts.now ?? Date.now
  let failures = 0
  let openedAt: number | null = null
  let trialOut = false
  let last: BreakerState = BreakerState.Closed
  const state = (): BreakerState => {
    if (openedAt === null) return BreakerState.Closed
    return now() - openedAt >= opts.cooldownMs ? BreakerState.HalfOpen : BreakerState.Open
  }
  const report = () => {
    const s = state()
    if (s !== last) opts.onChange?.(s)
    last = s
  }
  return {
    name: opts.name,
    state,
    allow() {
      const s = state()
      if (s === BreakerState.Closed) return true
      if (s === BreakerState.Open || trialOut) return false
      trialOut = true
      report()
      return true
    },
    success() {
      failures = 0
      openedAt = null
      trialOut = false
      report()
    },
    failure() {
      failures += 1
      trialOut = false
      if (openedAt !== null || failures >= opts.failures) openedAt = now()
      report()
    },
  }
}
