import { seededRandom } from '../src/testing/random'
import { ArrivalTracker } from './arrivals'
import { phaseLength, startPacing } from './pacing'
import { summarize, type LatencySummary } from './stats'
import { withTimeout } from './wait'
import type { BenchClient } from './workspace'

/**
 * Phase 1, latency at human speed: every client types one character at a time, `rate` keystrokes a second
 * with jitter, at the end of its document; each keystroke is timed from just before the local insert to the
 * moment its document's watcher integrates it (client A -> server -> client B).
 */
export interface TypingOptions {
  rate: number
  seconds: number
  seed: number
  warmupMs: number
}

export interface TypingResult {
  latency: LatencySummary
  keystrokes: number
  keystrokesPerSecond: number
}

/** What the clients type, over and over: a line of code, so the stored documents read like one. */
const LINE = 'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0)\n'

export async function measureTyping(
  clients: readonly BenchClient[],
  opts: TypingOptions,
): Promise<TypingResult> {
  const tracker = new ArrivalTracker(clients, performance.now() + opts.warmupMs)
  const random = seededRandom(opts.seed)
  let keystrokes = 0
  const stops = clients.map(({ peer }) =>
    startPacing({
      rate: opts.rate,
      random,
      tick: () => {
        tracker.sent(peer.doc)
        peer.text.insert(peer.text.length, LINE[keystrokes++ % LINE.length]!)
      },
    }),
  )
  await phaseLength(opts.seconds)
  for (const stop of stops) stop()
  try {
    await withTimeout(tracker.drained(), 15_000, `${tracker.outstanding} keystrokes to reach another client`)
  } finally {
    tracker.stop()
  }
  return { latency: summarize(tracker.samples), keystrokes, keystrokesPerSecond: keystrokes / opts.seconds }
}
