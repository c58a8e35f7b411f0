import * as Y from 'yjs'

/**
 * Yjs encodings that history needs and Yjs does not export directly. A Yjs update (format v1) is its structs
 * followed by a delete set; an encoded snapshot is a delete set followed by a state vector. So a delete set's
 * bytes are an encoded snapshot with an empty state vector (one 0 byte) minus that last byte, and an update
 * can carry a delete set other than the document's whole one.
 */

/** Yjs does not export the class; this is the type its functions take and return. */
export type DeleteSet = Y.Transaction['deleteSet']

/** A delete set's bytes as Yjs writes them in an update. */
export function encodeDeleteSet(ds: DeleteSet): Uint8Array {
  const snapshot = Y.encodeSnapshot(Y.createSnapshot(ds, new Map()))
  return snapshot.subarray(0, snapshot.length - 1)
}

/** Reads back what `encodeDeleteSet` wrote. */
export function decodeDeleteSet(bytes: Uint8Array): DeleteSet {
  const snapshot = new Uint8Array(bytes.length + 1)
  snapshot.set(bytes)
  return Y.decodeSnapshot(snapshot).ds
}

/** The document's whole delete set (sorted and merged, as Yjs builds it). */
export const deleteSetOf = (doc: Y.Doc): DeleteSet => Y.createDeleteSetFromStructStore(doc.store)

/** The ranges of `ds` that `known` does not cover. Both sorted and merged per client (as Yjs makes them). */
export function subtractDeleteSet(ds: DeleteSet, known: DeleteSet): DeleteSet {
  const out = Y.createDeleteSet()
  for (const [client, items] of ds.clients) {
    const cover = known.clients.get(client) ?? []
    const kept: { clock: number; len: number }[] = []
    let j = 0
    for (const item of items) {
      let start = item.clock
      const end = item.clock + item.len
      while (j < cover.length && cover[j]!.clock + cover[j]!.len <= start) j++
      let k = j
      while (start < end && k < cover.length && cover[k]!.clock < end) {
        const c = cover[k]!
        if (c.clock > start) kept.push({ clock: start, len: c.clock - start })
        start = Math.max(start, c.clock + c.len)
        k++
      }
      if (start < end) kept.push({ clock: start, len: end - start })
    }
    if (kept.length > 0) out.clients.set(client, kept)
  }
  return out
}

/**
 * What `doc` holds beyond `since` (a state vector), with only the deletions beyond `knownDeletes`: Yjs writes
 * the whole delete set into every update, which for a file's history would repeat every deletion ever made in
 * every version.
 */
export function encodeDiff(doc: Y.Doc, since: Uint8Array, knownDeletes: DeleteSet | null): Uint8Array {
  const full = Y.encodeStateAsUpdate(doc, since)
  if (!knownDeletes) return full
  const all = deleteSetOf(doc)
  const structs = full.subarray(0, full.length - encodeDeleteSet(all).length)
  const deletes = encodeDeleteSet(subtractDeleteSet(all, knownDeletes))
  const out = new Uint8Array(structs.length + deletes.length)
  out.set(structs)
  out.set(deletes, structs.length)
  return out
}
