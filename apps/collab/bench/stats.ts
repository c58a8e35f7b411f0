/** Summary of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number
  p50: number
  p99: number
  max: number
}

/**
 * The nearest-rank percentile (the smallest sample with at least `p` percent of samples at or below it), so a
 * reported p99 is always a latency that really happened rather than an interpolation between two.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
}

/** Throws when there is nothing to summarize: a phase that produced no sample measured nothing. */
export function summarize(samples: readonly number[], what: string): LatencySummary {
  if (samples.length === 0) throw new Error(`no ${what} samples: is the phase longer than its warm-up?`)
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** Rounds to `digits` decimals for printing and for the JSON line (sub-microsecond digits are noise). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
