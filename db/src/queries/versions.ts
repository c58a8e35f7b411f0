import { and, asc, desc, eq, gt, gte, inArray, lt, lte, max, ne, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { documentVersions, type VersionKind } from '../schema/history'

/** What the version list shows: everything but the bytes. */
export interface VersionInfo {
  id: string
  seq: number
  docName: string
  kind: VersionKind
  name: string | null
  createdBy: string | null
  runId: string | null
  createdAt: Date
  chars: number
}

export interface NewVersion {
  docName: string
  kind: VersionKind
  name?: string | null
  createdBy?: string | null
  runId?: string | null
  checkpoint: boolean
  stateVector: Uint8Array
  diff: Uint8Array
  chars: number
}

const info = {
  id: documentVersions.id,
  seq: documentVersions.seq,
  docName: documentVersions.docName,
  kind: documentVersions.kind,
  name: documentVersions.name,
  createdBy: documentVersions.createdBy,
  runId: documentVersions.runId,
  createdAt: documentVersions.createdAt,
  chars: documentVersions.chars,
}

export async function insertVersion(db: Db, version: NewVersion): Promise<VersionInfo> {
  const [row] = await db.insert(documentVersions).values(version).returning(info)
  return row!
}

/** A document's versions, newest first. */
export async function listVersions(db: Db, docName: string, limit = 500): Promise<VersionInfo[]> {
  return db
    .select(info)
    .from(documentVersions)
    .where(eq(documentVersions.docName, docName))
    .orderBy(desc(documentVersions.seq))
    .limit(limit)
}

export async function findVersion(db: Db, id: string): Promise<VersionInfo | undefined> {
  const [row] = await db.select(info).from(documentVersions).where(eq(documentVersions.id, id))
  return row
}

/** The newest version of a document at or before `at`. */
export async function versionAt(db: Db, docName: string, at: Date): Promise<VersionInfo | undefined> {
  const [row] = await db
    .select(info)
    .from(documentVersions)
    .where(and(eq(documentVersions.docName, docName), lte(documentVersions.createdAt, at)))
    .orderBy(desc(documentVersions.seq))
    .limit(1)
  return row
}

/** The newest version's state vector and the bytes of diffs since its chain's checkpoint (to decide the next). */
export async function versionTip(
  db: Db,
  docName: string,
): Promise<{ seq: number; stateVector: Uint8Array; chainBytes: number } | undefined> {
  const [tip] = await db
    .select({ seq: documentVersions.seq, stateVector: documentVersions.stateVector })
    .from(documentVersions)
    .where(eq(documentVersions.docName, docName))
    .orderBy(desc(documentVersions.seq))
    .limit(1)
  if (!tip) return undefined
  const [chain] = await db
    .select({ bytes: sql<number>`coalesce(sum(length(${documentVersions.diff})), 0)`.mapWith(Number) })
    .from(documentVersions)
    .where(
      and(eq(documentVersions.docName, docName), gte(documentVersions.seq, checkpointSeq(docName, tip.seq))),
    )
  return { ...tip, chainBytes: chain?.bytes ?? 0 }
}

/** The seq of the newest checkpoint at or before `seq`, as a subquery. */
function checkpointSeq(docName: string, seq: number) {
  return sql`(select ${max(documentVersions.seq)} from ${documentVersions} where ${documentVersions.docName} = ${docName} and ${documentVersions.checkpoint} and ${documentVersions.seq} <= ${seq})`
}

/** The diffs that rebuild the version `seq` of a document: its checkpoint's, then each one after, in order. */
export async function versionChain(db: Db, docName: string, seq: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ diff: documentVersions.diff })
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.docName, docName),
        lte(documentVersions.seq, seq),
        gte(documentVersions.seq, checkpointSeq(docName, seq)),
      ),
    )
    .orderBy(asc(documentVersions.seq))
  return rows.map((r) => r.diff)
}

/** Every diff of a document's history, oldest first (deleted text keeps its content in the version before). */
export async function versionDiffs(db: Db, docName: string): Promise<Uint8Array[]> {
  const rows = await db
    .select({ diff: documentVersions.diff })
    .from(documentVersions)
    .where(eq(documentVersions.docName, docName))
    .orderBy(asc(documentVersions.seq))
  return rows.map((r) => r.diff)
}

/** Bytes a document's history takes (diffs and state vectors), for the storage bound. */
export async function versionBytes(db: Db, docName: string): Promise<number> {
  const [row] = await db
    .select({
      bytes:
        sql<number>`coalesce(sum(length(${documentVersions.diff}) + length(${documentVersions.stateVector})), 0)`.mapWith(
          Number,
        ),
    })
    .from(documentVersions)
    .where(eq(documentVersions.docName, docName))
  return row?.bytes ?? 0
}

export async function removeVersions(db: Db, docName: string): Promise<void> {
  await db.delete(documentVersions).where(eq(documentVersions.docName, docName))
}

/** What history retention reads of a version: no bytes. */
export interface VersionStamp {
  id: string
  seq: number
  kind: VersionKind
  createdAt: Date
  checkpoint: boolean
}

/** A document's versions without their bytes, oldest first. */
export async function versionStamps(db: Db, docName: string): Promise<VersionStamp[]> {
  return db
    .select({
      id: documentVersions.id,
      seq: documentVersions.seq,
      kind: documentVersions.kind,
      createdAt: documentVersions.createdAt,
      checkpoint: documentVersions.checkpoint,
    })
    .from(documentVersions)
    .where(eq(documentVersions.docName, docName))
    .orderBy(asc(documentVersions.seq))
}

/**
 * Up to `limit` documents, in name order after `after`, that have more than one version and an unnamed one
 * older than `before`: the ones retention may thin.
 */
export async function docsWithOldVersions(
  db: Db,
  options: { before: Date; after: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ docName: documentVersions.docName })
    .from(documentVersions)
    .where(gt(documentVersions.docName, options.after))
    .groupBy(documentVersions.docName)
    .having(
      and(
        sql`count(*) > 1`,
        sql`bool_or(${and(ne(documentVersions.kind, 'named'), lt(documentVersions.createdAt, options.before))})`,
      ),
    )
    .orderBy(asc(documentVersions.docName))
    .limit(options.limit)
  return rows.map((r) => r.docName)
}

/** How retention changes a document's versions: some go, and some of those kept get a new diff. */
export interface RetentionChange {
  /** Every version the change was planned on (all of the document's up to the newest it read). */
  planned: VersionStamp[]
  remove: string[]
  rewrite: { id: string; diff: Uint8Array; checkpoint: boolean }[]
}

/**
 * Applies `change` in one transaction, if the document's versions up to the newest planned one are still exactly
 * the planned ones (none removed or added by another node meanwhile); false, with nothing written, otherwise.
 * Versions taken after the plan was made are newer and untouched.
 */
export async function applyRetention(db: Db, docName: string, change: RetentionChange): Promise<boolean> {
  const newest = change.planned.reduce((m, v) => Math.max(m, v.seq), 0)
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: documentVersions.id })
      .from(documentVersions)
      .where(and(eq(documentVersions.docName, docName), lte(documentVersions.seq, newest)))
      .for('update')
    const planned = new Set(change.planned.map((v) => v.id))
    if (rows.length !== planned.size || rows.some((r) => !planned.has(r.id))) return false
    if (change.remove.length > 0) {
      await tx.delete(documentVersions).where(inArray(documentVersions.id, change.remove))
    }
    for (const r of change.rewrite) {
      await tx
        .update(documentVersions)
        .set({ diff: r.diff, checkpoint: r.checkpoint })
        .where(eq(documentVersions.id, r.id))
    }
    return true
  })
}
