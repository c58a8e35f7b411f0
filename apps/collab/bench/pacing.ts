/**
 * Human-speed pacing: calls `tick` about `rate` times a second, each gap drawn uniformly from 0.5x to 1.5x
 * the mean so that many clients do not fire in lockstep. The first tick comes after a random fraction of a
 * gap, which spreads the clients' phases. Timers here pace the load; they never stand in for a wait.
 */
export function startPacing(opts: { rate: number; random: () => number; tick: () => void }): () => void {
  const mean = 1000 / opts.rate
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const next = (gap: number) => {
    timer = setTimeout(() => {
      if (stopped) return
      opts.tick()
      next(mean * (0.5 + opts.random()))
    }, gap)
  }
  next(mean * opts.random())
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

/** A load phase's length: a timer that bounds how long clients type, never a wait for a condition. */
export function phaseLength(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000))
}
