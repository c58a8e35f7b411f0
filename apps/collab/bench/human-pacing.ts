/**
 * A person typing code: bursts of keystrokes with now and then a pause (reading, thinking), averaging `rate`
 * keystrokes a second. With pause chance p and mean pause P, the mean gap inside a burst is 1000/rate - p·P
 * ms, so the pauses do not lower the rate the load is quoted at. Gaps and pauses are drawn from 0.5x to 1.5x
 * their mean and the first keystroke comes after a random fraction of a gap, so users never type in
 * lockstep. Returns a stop function. Timers here pace the load; they never stand in for a wait.
 */
export interface HumanPacing {
  /** Mean keystrokes per second, pauses included. */
  rate: number
  /** Chance that a keystroke is followed by a pause. */
  pauseChance: number
  /** Mean pause, in ms. */
  pauseMs: number
  random: () => number
  tick: () => void
}

export function startHumanPacing({ rate, pauseChance, pauseMs, random, tick }: HumanPacing): () => void {
  const burstGap = 1000 / rate - pauseChance * pauseMs
  if (burstGap <= 0) throw new Error('pauses alone exceed the mean gap between keystrokes')
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const next = (gap: number) => {
    timer = setTimeout(() => {
      if (stopped) return
      tick()
      const pause = random() < pauseChance ? pauseMs * (0.5 + random()) : 0
      next(burstGap * (0.5 + random()) + pause)
    }, gap)
  }
  next((1000 / rate) * random())
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
