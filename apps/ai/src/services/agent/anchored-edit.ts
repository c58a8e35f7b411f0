import * as Y from 'yjs'
import type { RelativePositionJson } from '@mimiverse/shared'
import type { IdRun, Region } from './item-ids'
import type { DiffOp } from './streaming-diff'

/**
 * Applies one old→new edit to a live Y.Text with positions anchored in the CRDT, so people typing at the same
 * time never lose a keystroke:
 * - the old region is given as the Yjs ids of its characters (not as offsets), as they were in the version of
 *   the document the model quoted (see locate-at-version.ts);
 * - an insertion goes right before the next old character still to be processed (a relative position on that
 *   character's id), so text typed by others anywhere, even inside the region, just moves it;
 * - a deletion removes exactly those old characters that are still there, never a character someone else
 *   typed between them.
 * The caller wraps each batch in one transaction with the agent's origin. Insertions are recorded as runs of
 * the agent's own ids, which become the highlight ranges of the run.
 */
interface InsertRun {
  start: number
  end: number
  p: number
}

export class AnchoredEdit {
  private readonly old: IdRun[]
  private readonly oldLength: number
  private readonly after: Y.RelativePosition
  private p = 0
  private readonly inserts: InsertRun[] = []
  inserted = 0
  deleted = 0

  constructor(
    private readonly text: Y.Text,
    region: Region,
  ) {
    this.old = region.runs
    this.oldLength = region.length
    // A region that ends the text: what the agent adds past it goes at the end of the text.
    this.after = region.after
      ? new Y.RelativePosition(null, null, region.after, 0)
      : Y.createRelativePositionFromTypeIndex(text, text.length)
  }

  /** Applies edits; call inside a transaction. */
  apply(ops: DiffOp[]): void {
    for (const o of ops) {
      if (o.op === 'keep') this.p += o.n
      else if (o.op === 'delete') this.delete(o.n)
      else this.insert(o.text)
    }
  }

  /** The text the agent inserted, as relative [start, end) pairs (the run's highlight). */
  ranges(): { start: RelativePositionJson; end: RelativePositionJson }[] {
    const client = this.text.doc!.clientID
    return this.inserts.map((r) => ({
      start: Y.relativePositionToJSON(new Y.RelativePosition(null, null, Y.createID(client, r.start), 0)),
      end: Y.relativePositionToJSON(new Y.RelativePosition(null, null, Y.createID(client, r.end - 1), -1)),
    }))
  }

  get rangeCount(): number {
    return this.inserts.length
  }

  /** Where the agent is typing: right after its last insertion, else before the next old character. */
  cursor(): RelativePositionJson {
    const last = this.inserts.at(-1)
    const rp =
      last && last.p === this.p
        ? new Y.RelativePosition(null, null, Y.createID(this.text.doc!.clientID, last.end - 1), -1)
        : this.anchor(this.p)
    return Y.relativePositionToJSON(rp) as RelativePositionJson
  }

  private anchor(p: number): Y.RelativePosition {
    if (p >= this.oldLength) return this.after
    const run = this.old.find((r) => p >= r.at && p < r.at + r.len)!
    return new Y.RelativePosition(null, null, Y.createID(run.client, run.clock + p - run.at), 0)
  }

  private insert(s: string): void {
    const doc = this.text.doc!
    const index =
      Y.createAbsolutePositionFromRelativePosition(this.anchor(this.p), doc)?.index ?? this.text.length
    const clock = Y.getState(doc.store, doc.clientID)
    this.text.insert(index, s)
    const end = Y.getState(doc.store, doc.clientID)
    const last = this.inserts.at(-1)
    if (last && last.end === clock && last.p === this.p) last.end = end
    else this.inserts.push({ start: clock, end, p: this.p })
    this.inserted += s.length
  }

  /** Deletes old characters [p, p + n) that are still present, and only those. */
  private delete(n: number): void {
    const from = this.p
    const to = from + n
    this.p = to
    const wanted = this.old
      .filter((r) => r.at < to && r.at + r.len > from)
      .map((r) => {
        const lo = Math.max(from, r.at) - r.at
        const hi = Math.min(to, r.at + r.len) - r.at
        return { client: r.client, from: r.clock + lo, to: r.clock + hi }
      })
    const spans: [number, number][] = []
    let index = 0
    for (let item = this.text._start; item; item = item.right) {
      if (item.deleted || !item.countable) continue
      for (const w of wanted) {
        if (w.client !== item.id.client) continue
        const lo = Math.max(w.from, item.id.clock)
        const hi = Math.min(w.to, item.id.clock + item.length)
        if (lo < hi) spans.push([index + lo - item.id.clock, hi - lo])
      }
      index += item.length
    }
    for (const [at, len] of spans.sort((a, b) => b[0] - a[0])) {
      this.text.delete(at, len)
      this.deleted += len
    }
  }
}
