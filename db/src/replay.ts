import * as Y from 'yjs'
import { messageOf, updateProblem } from './update-check'

/**
 * Replaying a document's stored updates (its snapshot, then its log rows) so that one bad update never makes the
 * document unreadable.
 *
 * Fast path, taken every time in practice: everything applied in one transaction, as a plain load does. Only
 * when that throws does the slow path rebuild the document in a fresh Y.Doc, update by update: each is first
 * checked on its own (`updateProblem`), and one that fails there, or throws when applied, is left out. An update
 * that throws may already have changed the document it was applied to (Yjs cannot roll back), so then the
 * rebuild starts again without it; each round leaves out one more update, so it ends.
 *
 * What is lost when an update is left out: that update's own edits, and edits of later updates that build on
 * them (an insertion next to text it inserted waits, as pending, for an update that never comes). A left-out
 * snapshot takes every edit compacted into it; the log rows after it still apply, but their edits next to the
 * snapshot's text wait as pending too, so in practice the document keeps only text typed into it from scratch.
 * The caller decides what happens to left-out updates: the collab server quarantines them, readers skip them.
 */

/** The state of an empty document (what a new file without text stores as its snapshot). */
export const EMPTY_STATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc())

/** One stored update: a log row, or the document's snapshot (no `seq`). */
export interface StoredUpdate {
  seq?: number
  update: Uint8Array
}

/** A stored update a replay left out, and why. */
export interface SkippedUpdate extends StoredUpdate {
  reason: string
}

export interface Replayed {
  /** The caller destroys it. */
  doc: Y.Doc
  skipped: SkippedUpdate[]
}

/** Replays `updates`, in order, into a new document. */
export function replay(updates: readonly StoredUpdate[]): Replayed {
  const doc = new Y.Doc()
  if (applyAll(doc, updates)) return { doc, skipped: [] }
  doc.destroy()
  return rebuild(updates)
}

/**
 * Replays `updates` into `doc` (a document just created, as Hocuspocus hands it to a load) and returns what it
 * left out. On the slow path `doc` receives the rebuilt state; it may also keep what the failing update changed
 * before it threw, since only a new document can be rebuilt cleanly: edits of that update that did apply.
 */
export function replayInto(doc: Y.Doc, updates: readonly StoredUpdate[], origin: unknown): SkippedUpdate[] {
  if (applyAll(doc, updates, origin)) return []
  const rebuilt = rebuild(updates)
  try {
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(rebuilt.doc), origin)
  } finally {
    rebuilt.doc.destroy()
  }
  return rebuilt.skipped
}

function applyAll(doc: Y.Doc, updates: readonly StoredUpdate[], origin?: unknown): boolean {
  try {
    doc.transact(() => {
      for (const { update } of updates) Y.applyUpdate(doc, update)
    }, origin)
    return true
  } catch {
    return false
  }
}

function rebuild(updates: readonly StoredUpdate[]): Replayed {
  const rounds = { checked: new Set<StoredUpdate>(), skipped: new Map<StoredUpdate, string>() }
  for (;;) {
    const doc = new Y.Doc()
    if (applyEach(doc, updates, rounds)) {
      const skipped = updates.flatMap((u) => {
        const reason = rounds.skipped.get(u)
        return reason === undefined ? [] : [{ ...u, reason }]
      })
      return { doc, skipped }
    }
    doc.destroy()
  }
}

/** Applies the updates not skipped yet, one transaction each; false when one threw (it is skipped from now on). */
function applyEach(
  doc: Y.Doc,
  updates: readonly StoredUpdate[],
  rounds: { checked: Set<StoredUpdate>; skipped: Map<StoredUpdate, string> },
): boolean {
  for (const u of updates) {
    if (rounds.skipped.has(u)) continue
    if (!rounds.checked.has(u)) {
      const problem = updateProblem(u.update)
      if (problem) {
        rounds.skipped.set(u, problem)
        continue
      }
      rounds.checked.add(u)
    }
    try {
      Y.applyUpdate(doc, u.update)
    } catch (e: unknown) {
      rounds.skipped.set(u, `cannot be applied after the updates before it: ${messageOf(e)}`)
      return false
    }
  }
  return true
}
