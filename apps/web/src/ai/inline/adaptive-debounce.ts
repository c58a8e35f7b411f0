/**
 * How long to wait after a keystroke before asking for a completion, from the user's typing speed (Tabby's
 * adaptive debounce): twice the moving average of the gaps between keystrokes, within 100–1000 ms. A fast
 * typist gets short waits (their pause is short too); a slow one is not asked for a completion between two
 * keystrokes of the same word.
 */
export const MIN_DEBOUNCE_MS = 100
export const MAX_DEBOUNCE_MS = 1000
/** Gaps longer than this are pauses, not typing speed. */
const PAUSE_MS = 2000
const WEIGHT = 0.3

export class AdaptiveDebounce {
  private last: number | null = null
  private average = 200

  /** Records a keystroke at `now` (ms). */
  keystroke(now: number): void {
    if (this.last !== null) {
      const gap = now - this.last
      if (gap > 0 && gap < PAUSE_MS) this.average = WEIGHT * gap + (1 - WEIGHT) * this.average
    }
    this.last = now
  }

  delayMs(): number {
    return Math.round(Math.min(MAX_DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, 2 * this.average)))
  }
}
