import * as Y from 'yjs'
import type { Span } from './locate'

/**
 * The characters of a Y.Text named by their Yjs ids (client, clock) instead of their offsets: an id names the
 * same character whatever is typed around it, and says whether that character is still there. Ids are kept as
 * runs of consecutive clocks of one client (one run per typed stretch, not one entry per character).
 */
export interface IdRun {
  client: number
  clock: number
  len: number
  /** Offset of the run's first character from the start of the region it belongs to. */
  at: number
}

/** A region of old text to edit: its characters' ids, its length, and the id of the character after it. */
export interface Region {
  runs: IdRun[]
  length: number
  /** The character right after the region (insertions at its end go before it); null: the end of the text. */
  after: Y.ID | null
}

/** The ids of the characters of `span` (live offsets), `at` counted from `span.start`. */
export function idsOf(text: Y.Text, span: Span): IdRun[] {
  const runs: IdRun[] = []
  let index = 0
  for (let item = text._start; item && index < span.end; item = item.right) {
    if (item.deleted || !item.countable) continue
    const lo = Math.max(span.start, index)
    const hi = Math.min(span.end, index + item.length)
    if (lo < hi)
      pushRun(runs, {
        client: item.id.client,
        clock: item.id.clock + lo - index,
        len: hi - lo,
        at: lo - span.start,
      })
    index += item.length
  }
  return runs
}

/** The live region of `span`: the ids of its characters and of the one after it. */
export function regionOf(text: Y.Text, span: Span): Region {
  const next = idsOf(text, { start: span.end, end: span.end + 1 })[0]
  return { runs: idsOf(text, span), length: span.end - span.start, after: next ? idOf(next) : null }
}

/** The part of `runs` (covering offsets from 0) that covers `span`, `at` counted from `span.start`. */
export function sliceRuns(runs: IdRun[], span: Span): IdRun[] {
  const out: IdRun[] = []
  for (const r of runs) {
    const lo = Math.max(span.start, r.at)
    const hi = Math.min(span.end, r.at + r.len)
    if (lo < hi)
      pushRun(out, { client: r.client, clock: r.clock + lo - r.at, len: hi - lo, at: lo - span.start })
  }
  return out
}

/** The id of the character at offset `at` of the region `runs` covers, or null past its end. */
export function idAt(runs: IdRun[], at: number): Y.ID | null {
  const r = runs.find((x) => at >= x.at && at < x.at + x.len)
  return r ? Y.createID(r.client, r.clock + at - r.at) : null
}

/** Which of the characters of `runs` are deleted in the live text now, as runs of the same shape. */
export function deletedOf(text: Y.Text, runs: IdRun[]): IdRun[] {
  const out: IdRun[] = []
  for (let item = text._start; item; item = item.right) {
    if (!item.deleted) continue
    for (const r of runs) {
      if (r.client !== item.id.client) continue
      const lo = Math.max(r.clock, item.id.clock)
      const hi = Math.min(r.clock + r.len, item.id.clock + item.length)
      if (lo < hi) out.push({ client: r.client, clock: lo, len: hi - lo, at: r.at + lo - r.clock })
    }
  }
  return out.sort((a, b) => a.at - b.at)
}

function idOf(r: IdRun): Y.ID {
  return Y.createID(r.client, r.clock)
}

/** Appends a run, joining it to the last one when they continue each other. */
function pushRun(runs: IdRun[], r: IdRun): void {
  const last = runs.at(-1)
  if (last && last.client === r.client && last.clock + last.len === r.clock && last.at + last.len === r.at)
    last.len += r.len
  else runs.push(r)
}
