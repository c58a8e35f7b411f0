import { asc, eq, inArray } from 'drizzle-orm'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { Db } from '../client'
import { documentSnapshots, documentUpdates } from '../schema/documents'

/**
 * The read side of a shared document's storage: the snapshot plus the update log after it. The collab server
 * writes both (its DocStore appends every update before acknowledging it, and compacts); the AI service only
 * reads. Reads never write and never compact, and see every acknowledged edit whether or not it is compacted.
 */

/** A document as stored: its snapshot (if it has one) and the log rows after it, in `seq` order. */
export interface StoredDocument {
  snapshot?: Uint8Array
  tail: Uint8Array[]
}

/** Every stored update of a document, snapshot first, then the log in `seq` order; `[]` when nothing is stored. */
export async function loadDocumentUpdates(db: Db, docName: string): Promise<Uint8Array[]> {
  const { snapshot, tail } = await loadDocument(db, docName)
  return snapshot ? [snapshot, ...tail] : tail
}

/** The snapshot and log of a document, read so that together they hold every acknowledged edit. */
export async function loadDocument(db: Db, docName: string): Promise<StoredDocument> {
  // The log first, then the snapshot: a compaction that commits between the two reads has put every row it
  // deletes into the snapshot we read second. (Snapshot first could pair an old snapshot with a log whose rows
  // were just merged away, and lose acknowledged edits from the loaded document.) Overlap is harmless: Yjs
  // updates are idempotent.
  const tail = await db
    .select({ update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.docName, docName))
    .orderBy(asc(documentUpdates.seq))
  const [snapshot] = await db
    .select({ state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.docName, docName))
  return { snapshot: snapshot?.state, tail: tail.map((r) => r.update) }
}

/** The stored text of a document (its `CONTENT_FIELD` Y.Text); an empty string when nothing is stored. */
export async function readDocumentText(db: Db, docName: string): Promise<string> {
  const updates = await loadDocumentUpdates(db, docName)
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u)
    })
    return doc.getText(CONTENT_FIELD).toString()
  } finally {
    doc.destroy()
  }
}

/**
 * The stored texts of several documents with two queries in all (the search indexer reads a batch of files at
 * once); same order of reads, and so the same guarantee, as `loadDocumentUpdates`. Missing documents read as
 * empty strings.
 */
export async function readDocumentTexts(db: Db, docNames: string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>()
  if (docNames.length === 0) return texts
  const tail = await db
    .select({ docName: documentUpdates.docName, update: documentUpdates.update })
    .from(documentUpdates)
    .where(inArray(documentUpdates.docName, docNames))
    .orderBy(asc(documentUpdates.seq))
  const snapshots = await db
    .select({ docName: documentSnapshots.docName, state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(inArray(documentSnapshots.docName, docNames))
  const updates = new Map<string, Uint8Array[]>(docNames.map((name) => [name, []]))
  for (const s of snapshots) updates.get(s.docName)?.push(s.state)
  for (const t of tail) updates.get(t.docName)?.push(t.update)
  for (const [name, list] of updates) {
    const doc = new Y.Doc()
    try {
      doc.transact(() => {
        for (const u of list) Y.applyUpdate(doc, u)
      })
      texts.set(name, doc.getText(CONTENT_FIELD).toString())
    } finally {
      doc.destroy()
    }
  }
  return texts
}
