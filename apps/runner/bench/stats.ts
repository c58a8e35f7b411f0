/** Nearest-rank percentiles of latency samples (ms): a reported p99 is a latency that really happened. */
export function summarize(samples: readonly number[]): {
  count: number
  p50: number
  p99: number
  max: number
} {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  const round = (v: number) => Math.round(v * 100) / 100
  return {
    count: sorted.length,
    p50: round(at(50)),
    p99: round(at(99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  }
}

/** Resolves after `ms` (pacing a simulated human, not waiting for a condition). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
