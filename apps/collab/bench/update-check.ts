import * as Y from 'yjs'
import { updateProblem } from '@mimiverse/db'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { seededRandom } from '../src/testing/random'
import { round, summarize } from './stats'

/**
 * `npx tsx bench/update-check.ts`: what the frame check of updates (`protocol/update-check.ts`) costs per frame,
 * next to what the server does with the same update anyway. A keystroke's update (the typist's last of 40,000
 * edits) and a large SyncStep2 (that document's whole state: what a client sends when the server lacks it
 * all), each checked, decoded, and applied to a document that holds everything but it (the live apply).
 */
const EDITS = 40_000

function history(): { keystroke: Uint8Array; state: Uint8Array; before: Uint8Array } {
  const rnd = seededRandom(1)
  const doc = new Y.Doc()
  const text = doc.getText(CONTENT_FIELD)
  for (let i = 0; i < EDITS - 1; i++) {
    if (text.length > 10 && rnd() < 0.2) text.delete(Math.floor(rnd() * (text.length - 1)), 1)
    else text.insert(Math.floor(rnd() * (text.length + 1)), 'abcdefghij'[i % 10]!)
  }
  const before = Y.encodeStateAsUpdate(doc)
  let keystroke: Uint8Array = new Uint8Array()
  doc.on('update', (update: Uint8Array) => (keystroke = update))
  text.insert(Math.floor(text.length / 2), 'x')
  return { keystroke, state: Y.encodeStateAsUpdate(doc), before }
}

/**
 * Milliseconds per call of `f` over `runs` calls after a warm-up, as p50 / p99. When `f` returns a number, that
 * is the sample (it timed only part of itself).
 */
function time(label: string, runs: number, f: () => number | undefined): void {
  for (let i = 0; i < Math.min(runs, 10); i++) f()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const own = f()
    samples.push(own ?? performance.now() - start)
  }
  const { p50, p99 } = summarize(samples, label)
  console.log(`${label.padEnd(44)} p50 ${round(p50 * 1000, 1)} µs   p99 ${round(p99 * 1000, 1)} µs`)
}

/** Times applying `update` to a new document holding `base`; the set-up is not timed. */
function firstApply(base: Uint8Array, update: Uint8Array): () => number {
  return () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, base)
    const start = performance.now()
    Y.applyUpdate(doc, update)
    const took = performance.now() - start
    doc.destroy()
    return took
  }
}

function main(): void {
  const { keystroke, state, before } = history()
  console.log(`keystroke update ${keystroke.byteLength} bytes; SyncStep2 ${state.byteLength} bytes`)
  const live = new Y.Doc()
  Y.applyUpdate(live, state)
  const empty = Y.encodeStateAsUpdate(new Y.Doc())
  for (const [name, update, runs, base] of [
    ['keystroke', keystroke, 20_000, before],
    ['SyncStep2', state, 20, empty],
  ] as const) {
    time(`${name}: check (updateProblem)`, runs, () => void updateProblem(update))
    time(`${name}: Y.decodeUpdate (the check before)`, runs, () => void Y.decodeUpdate(update))
    // The live document lacking it: the rest of the file for a keystroke, nothing for a whole state.
    time(`${name}: apply to the live document`, Math.min(runs, 30), firstApply(base, update))
    time(`${name}: apply again (Hocuspocus, after us)`, runs, () => void Y.applyUpdate(live, update))
  }
}

main()
