import * as Y from 'yjs'

/** The rows of one document that one INSERT committed, with the updates they hold. */
interface Group {
  seqs: number[]
  updates: Uint8Array[]
}

/** Which of this node's rows a state encoded right now holds: delete `seqs` once that state is stored. */
export interface Contained {
  seqs: number[]
  groups: readonly Group[]
}

/**
 * The log rows this node appended and has not compacted yet, per document, so compaction can fold the
 * in-memory document instead of re-reading and re-applying the log (see `DocStore.compactFromMemory`).
 *
 * A row may only be deleted when the stored snapshot holds its update. That is decided by content, not by
 * "this node wrote it": an update is contained when the document's state vector covers every struct in it and
 * its delete set covers every deletion (`Y.snapshotContainsUpdate`). An update whose connection closed between
 * the append and Hocuspocus applying it, or that waits as pending for a missing dependency, is not contained
 * and its row stays. Rows of other nodes are never tracked here; their own node compacts them.
 *
 * Rows are grouped per INSERT: a group is contained when each of its updates is. That needs no pairing of each
 * update with its seq (PostgreSQL does not promise RETURNING order), only of rows with their document.
 */
export class AppendedRows {
  private readonly byDoc = new Map<string, Group[]>()
  private readonly counts = new Map<string, number>()

  /** Records the rows one INSERT committed for `docName`. */
  record(docName: string, seqs: number[], updates: Uint8Array[]): void {
    let groups = this.byDoc.get(docName)
    if (!groups) this.byDoc.set(docName, (groups = []))
    groups.push({ seqs, updates })
    this.counts.set(docName, (this.counts.get(docName) ?? 0) + seqs.length)
  }

  /** Rows of `docName` this node appended and has not compacted. */
  count(docName: string): number {
    return this.counts.get(docName) ?? 0
  }

  /**
   * The recorded rows whose updates `doc` holds now. Call it synchronously with encoding the state to store,
   * so nothing can change the document in between.
   */
  contained(docName: string, doc: Y.Doc): Contained {
    const groups = this.byDoc.get(docName) ?? []
    if (groups.length === 0) return { seqs: [], groups: [] }
    const snapshot = Y.snapshot(doc)
    const inside = groups.filter((g) => g.updates.every((u) => holds(snapshot, u)))
    return { seqs: inside.flatMap((g) => g.seqs), groups: inside }
  }

  /** Stops tracking groups whose rows were deleted. */
  drop(docName: string, groups: readonly Group[]): void {
    const all = this.byDoc.get(docName)
    if (!all || groups.length === 0) return
    const gone = new Set(groups)
    const left = all.filter((g) => !gone.has(g))
    if (left.length === 0) this.forget(docName)
    else {
      this.byDoc.set(docName, left)
      this.counts.set(
        docName,
        left.reduce((n, g) => n + g.seqs.length, 0),
      )
    }
  }

  /** Stops tracking a document (it left memory, or was removed); its rows stay for the log compaction. */
  forget(docName: string): void {
    this.byDoc.delete(docName)
    this.counts.delete(docName)
  }
}

/**
 * `Y.snapshotContainsUpdate`, for one small update against a large document: the structs against the state
 * vector, each deleted range by binary search in the document's delete set (sorted, adjacent ranges merged by
 * `Y.snapshot`). Merging 500 keystrokes first cost 50 ms, and Yjs' own check (merge and compare the whole
 * delete set per update) 76 ms for 500 on a document with 2,000 deletions.
 */
function holds(snapshot: Y.Snapshot, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update)
  for (const [client, clock] of to) if ((snapshot.sv.get(client) ?? 0) < clock) return false
  for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) {
    const deleted = snapshot.ds.clients.get(client) ?? []
    for (const { clock, len } of ranges) if (!covered(deleted, clock, clock + len)) return false
  }
  return true
}

/** Whether one range of the sorted, merged `ranges` covers [from, to). */
function covered(ranges: readonly { clock: number; len: number }[], from: number, to: number): boolean {
  let lo = 0
  let hi = ranges.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const r = ranges[mid]!
    if (r.clock + r.len <= from) lo = mid + 1
    else if (r.clock > from) hi = mid - 1
    else return r.clock + r.len >= to
  }
  return false
}
