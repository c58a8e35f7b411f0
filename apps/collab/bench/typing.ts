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
  /** The slowest keystrokes, slowest first: when they were typed (seconds into the phase) and their latency. */
  slowest: { atSeconds: number; ms: number }[]
  keystrokes: number
  keystrokesPerSecond: number
}

/** What the clients type, over and over: a line of code, so the stored documents read like one. */
const LINE = 'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0)\n'

export async function measureTyping(
  clients: readonly BenchClient[],
  opts: TypingOptions,
): Promise<TypingResult> {
  const started = performance.now()
  const tracker = new ArrivalTracker(clients, started + opts.warmupMs)
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
  return {
    latency: summarize(tracker.samples, 'keystroke latency'),
    slowest: slowest(tracker, started, 5),
    keystrokes,
    keystrokesPerSecond: keystrokes / opts.seconds,
  }
}

/** The `n` slowest samples. Spikes that line up in time across clients point at the server, not the network. */
function slowest(tracker: ArrivalTracker, started: number, n: number): TypingResult['slowest'] {
  return tracker.samples
    .map((ms, i) => ({ atSeconds: ((tracker.sentAt[i] ?? started) - started) / 1000, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
}
