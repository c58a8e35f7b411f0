import { asc, eq, inArray } from 'drizzle-orm'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { replay, type SkippedUpdate, type StoredUpdate } from '../replay'
import type { Db } from '../client'
import { documentSnapshots, documentUpdates } from '../schema/documents'

/**
 * The read side of a shared document's storage: the snapshot plus the update log after it. The collab server
 * writes both (its DocStore appends every update before acknowledging it, and compacts); the AI service only
 * reads. Reads never write and never compact, and see every acknowledged edit whether or not it is compacted.
 */

/** A log row of a document. */
export interface LogRow {
  seq: number
  update: Uint8Array
}

/** A document as stored: its snapshot (if it has one) and the log rows after it, in `seq` order. */
export interface StoredDocument {
  snapshot?: Uint8Array
  tail: LogRow[]
}

/** Reports the stored updates a read left out (see `replay`); readers log them, the collab server moves them. */
export interface ReadOptions {
  onSkipped?: (docName: string, skipped: SkippedUpdate[]) => void
}

/** The updates of a stored document in the order they are applied: the snapshot, then the log. */
export function storedUpdates({ snapshot, tail }: StoredDocument): StoredUpdate[] {
  return snapshot ? [{ update: snapshot }, ...tail] : tail
}

/** Every stored update of a document, snapshot first, then the log in `seq` order; `[]` when nothing is stored. */
export async function loadDocumentUpdates(db: Db, docName: string): Promise<Uint8Array[]> {
  return storedUpdates(await loadDocument(db, docName)).map((u) => u.update)
}

/** The snapshot and log of a document, read so that together they hold every acknowledged edit. */
export async function loadDocument(db: Db, docName: string): Promise<StoredDocument> {
  // The log first, then the snapshot: a compaction that commits between the two reads has put every row it
  // deletes into the snapshot we read second. (Snapshot first could pair an old snapshot with a log whose rows
  // were just merged away, and lose acknowledged edits from the loaded document.) Overlap is harmless: Yjs
  // updates are idempotent.
  const tail = await db
    .select({ seq: documentUpdates.seq, update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.docName, docName))
    .orderBy(asc(documentUpdates.seq))
  const [snapshot] = await db
    .select({ state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.docName, docName))
  return { snapshot: snapshot?.state, tail }
}

/**
 * The stored text of a document (its `CONTENT_FIELD` Y.Text); an empty string when nothing is stored. A stored
 * update that cannot be applied is left out (and reported), never a reason to fail the read.
 */
export async function readDocumentText(db: Db, docName: string, options: ReadOptions = {}): Promise<string> {
  return textOf(docName, storedUpdates(await loadDocument(db, docName)), options)
}

/**
 * The stored texts of several documents with two queries in all (the search indexer reads a batch of files at
 * once); same order of reads, and so the same guarantee, as `loadDocument`. Missing documents read as empty
 * strings.
 */
export async function readDocumentTexts(
  db: Db,
  docNames: string[],
  options: ReadOptions = {},
): Promise<Map<string, string>> {
  const texts = new Map<string, string>()
  if (docNames.length === 0) return texts
  const tail = await db
    .select({ docName: documentUpdates.docName, seq: documentUpdates.seq, update: documentUpdates.update })
    .from(documentUpdates)
    .where(inArray(documentUpdates.docName, docNames))
    .orderBy(asc(documentUpdates.seq))
  const snapshots = await db
    .select({ docName: documentSnapshots.docName, state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(inArray(documentSnapshots.docName, docNames))
  const updates = new Map<string, StoredUpdate[]>(docNames.map((name) => [name, []]))
  for (const s of snapshots) updates.get(s.docName)?.push({ update: s.state })
  for (const { docName, seq, update } of tail) updates.get(docName)?.push({ seq, update })
  for (const [name, list] of updates) texts.set(name, textOf(name, list, options))
  return texts
}

function textOf(docName: string, updates: StoredUpdate[], options: ReadOptions): string {
  const { doc, skipped } = replay(updates)
  try {
    if (skipped.length > 0) options.onSkipped?.(docName, skipped)
    return doc.getText(CONTENT_FIELD).toString()
  } finally {
    doc.destroy()
  }
}
