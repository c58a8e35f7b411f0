import { and, asc, count, eq, sql } from 'drizzle-orm'
import * as Y from 'yjs'
import type { Db } from '../client'
import { EMPTY_STATE, replay, type SkippedUpdate } from '../replay'
import { documentSnapshots, documentUpdates } from '../schema/documents'
import { quarantineUpdates } from './quarantine'
import { removeAuthorship } from './authorship'

/**
 * The statements that fold a document's log into its snapshot. The collab server's `DocStore` decides when and
 * which rows (it knows what its live documents hold); these only say how. A transaction (`db.transaction`'s
 * `tx`) may be passed wherever a `Db` is taken.
 */

/** The update of an empty document. */
export const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())

/** `seq` is one of `seqs`, as one array parameter (one per row cost more to build and parse than to delete). */
const seqIn = (seqs: number[]) => sql`${documentUpdates.seq} = any(${sql.param(seqs)}::bigint[])`

/** The highest of `seqs` (what a snapshot records as merged up to), if any. */
const highest = (seqs: number[]) => (seqs.length > 0 ? seqs.reduce((a, b) => Math.max(a, b)) : undefined)

const ofDocument = (docName: string) => eq(documentSnapshots.docName, docName)

/**
 * The common case in one statement: when the stored snapshot's md5 is still `digest`, it is replaced by `state`
 * and the log rows `seqs` (which `state` holds) are deleted together, atomically. One statement, because each
 * round trip on the one embedded connection waits for a turn of the server's busy event loop while every
 * document's appends wait behind it (deleting 500 rows costs the database about 6 ms; nine statements cost
 * keystrokes hundreds of milliseconds under load). False when someone else wrote a snapshot since: then nothing
 * was written.
 */
export async function replaceSnapshotIfUnchanged(
  db: Db,
  doc: { docName: string; state: Uint8Array; digest: string; seqs: number[] },
): Promise<boolean> {
  const upToSeq = highest(doc.seqs)
  const upTo = upToSeq === undefined ? sql`` : sql`, up_to_seq = ${upToSeq}`
  const result = await db.execute(sql`
    with replaced as (
      update ${documentSnapshots} set state = ${doc.state}::bytea, updated_at = now()${upTo}
      where doc_name = ${doc.docName} and md5(state) = ${doc.digest}
      returning 1
    ),
    deleted as (
      delete from ${documentUpdates}
      where ${and(eq(documentUpdates.docName, doc.docName), seqIn(doc.seqs))} and exists (select 1 from replaced)
    )
    select count(*)::int as replaced from replaced`)
  const { rows } = result as { rows: { replaced: number }[] }
  return rows[0]?.replaced === 1
}

/**
 * Inside a transaction: makes sure `docName` has a snapshot row, locks it until the transaction ends, and returns
 * its md5 (to tell whether it is still the snapshot the caller last wrote).
 */
export async function lockSnapshot(tx: Db, docName: string): Promise<string | undefined> {
  await ensureSnapshotRow(tx, docName)
  const [stored] = await tx
    .select({ digest: sql<string>`md5(${documentSnapshots.state})` })
    .from(documentSnapshots)
    .where(ofDocument(docName))
    .for('update')
  return stored?.digest
}

/** An empty snapshot for a document that has none, so there is a row to lock. */
async function ensureSnapshotRow(tx: Db, docName: string): Promise<void> {
  await tx.insert(documentSnapshots).values({ docName, state: EMPTY_STATE }).onConflictDoNothing()
}

/** The stored snapshot of `docName`, if it has one. */
export async function readSnapshot(db: Db, docName: string): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(ofDocument(docName))
  return row?.state
}

/** Writes `state` as the snapshot of `docName`, recording that it holds the log rows `seqs`. */
export async function writeSnapshot(
  db: Db,
  docName: string,
  state: Uint8Array,
  seqs: number[],
): Promise<void> {
  const set = { state, updatedAt: new Date() }
  const upToSeq = highest(seqs)
  await db
    .update(documentSnapshots)
    .set(upToSeq === undefined ? set : { ...set, upToSeq })
    .where(ofDocument(docName))
}

/** Deletes the log rows `seqs` of `docName`. */
export async function deleteDocumentUpdates(db: Db, docName: string, seqs: number[]): Promise<void> {
  await db.delete(documentUpdates).where(and(eq(documentUpdates.docName, docName), seqIn(seqs)))
}

/** What one `compactLogChunk` did: log rows folded into the snapshot, and stored updates moved to quarantine. */
export interface CompactedChunk {
  merged: number
  quarantined: SkippedUpdate[]
}

/**
 * Folds the oldest `maxRows` log rows of `docName` into its snapshot by replaying them, in one transaction that
 * locks the snapshot row. It merges exactly the rows it read and deletes exactly those (not "every seq below N"),
 * so a row committed late by a concurrent writer is never lost. Bounded, so a long backlog never builds a query
 * with more parameters than PostgreSQL takes. A row (or snapshot) that cannot be applied is left out of the new
 * snapshot and moved to quarantine in the same transaction (see `replay`), so one bad row never stops
 * compaction.
 */
export function compactLogChunk(db: Db, docName: string, maxRows: number): Promise<CompactedChunk> {
  return db.transaction(async (tx) => {
    // A document with nothing logged (or a deleted one) gets no write at all.
    const [any] = await tx
      .select({ seq: documentUpdates.seq })
      .from(documentUpdates)
      .where(eq(documentUpdates.docName, docName))
      .limit(1)
    if (!any) return { merged: 0, quarantined: [] }
    await ensureSnapshotRow(tx, docName)
    const [snapshot] = await tx
      .select({ state: documentSnapshots.state })
      .from(documentSnapshots)
      .where(ofDocument(docName))
      .for('update')
    const rows = await tx
      .select({ seq: documentUpdates.seq, update: documentUpdates.update })
      .from(documentUpdates)
      .where(eq(documentUpdates.docName, docName))
      .orderBy(asc(documentUpdates.seq))
      .limit(maxRows)
    if (rows.length === 0) return { merged: 0, quarantined: [] }
    const { doc, skipped } = replay(snapshot ? [{ update: snapshot.state }, ...rows] : rows)
    const state = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    // Before the writes below: the snapshot is compared with the one locked, and quarantined rows leave the log.
    const quarantined = await quarantineUpdates(tx, docName, skipped)
    const seqs = rows.map((r) => r.seq)
    await writeSnapshot(tx, docName, state, seqs)
    await deleteDocumentUpdates(tx, docName, seqs)
    return { merged: rows.length, quarantined }
  })
}

/** How many updates of `docName` are logged and not yet compacted. */
export async function countDocumentUpdates(db: Db, docName: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(documentUpdates)
    .where(eq(documentUpdates.docName, docName))
  return row?.n ?? 0
}

/** Rows and bytes of updates in the log (not yet compacted), over all documents. */
export async function documentLogSize(db: Db): Promise<{ rows: number; bytes: number }> {
  const [row] = await db
    .select({
      rows: count(),
      bytes: sql<string>`coalesce(sum(octet_length(${documentUpdates.update})), 0)`,
    })
    .from(documentUpdates)
  return { rows: row?.rows ?? 0, bytes: Number(row?.bytes ?? 0) }
}

/** Removes everything stored for a document (the file was deleted). */
export async function removeDocument(db: Db, docName: string): Promise<void> {
  await db.delete(documentUpdates).where(eq(documentUpdates.docName, docName))
  await db.delete(documentSnapshots).where(ofDocument(docName))
  await removeAuthorship(db, docName)
}
