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
 * Rows are grouped per INSERT: a group is contained when its merged update is. That needs no pairing of each
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
    const holds = (updates: Uint8Array[]) =>
      Y.snapshotContainsUpdate(snapshot, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates))
    // The common case, every row applied, costs one check; otherwise each INSERT's group is checked.
    const inside = holds(groups.flatMap((g) => g.updates)) ? groups : groups.filter((g) => holds(g.updates))
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
