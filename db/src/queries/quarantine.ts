import { sql } from 'drizzle-orm'
import type { Db } from '../client'
import { EMPTY_STATE, type SkippedUpdate } from '../replay'
import { documentQuarantine, documentSnapshots, documentUpdates } from '../schema/documents'

/**
 * Moves stored updates of `docName` that a replay left out into `document_quarantine`, so the next load takes
 * the fast path again and the bytes stay for an operator. A log row leaves the log; the snapshot, if it is among
 * them, is replaced by an empty state, but only while it is still the stored one (another node may have
 * compacted since). Each moves once however many replays find it at the same time: the statement that moves it
 * is the one that deletes or replaces it. Returns what this call moved. A transaction may be passed as `db`.
 */
export async function quarantineUpdates(
  db: Db,
  docName: string,
  skipped: readonly SkippedUpdate[],
): Promise<SkippedUpdate[]> {
  const rows = skipped.filter((s) => s.seq !== undefined)
  const moved = new Set(await moveRows(db, docName, rows))
  const snapshot = skipped.find((s) => s.seq === undefined)
  const snapshotMoved = snapshot !== undefined && (await moveSnapshot(db, docName, snapshot))
  return skipped.filter((s) => (s.seq === undefined ? snapshotMoved : moved.has(s.seq)))
}

async function moveRows(db: Db, docName: string, rows: SkippedUpdate[]): Promise<number[]> {
  if (rows.length === 0) return []
  const seqs = sql.param(rows.map((r) => r.seq))
  const reasons = sql.param(rows.map((r) => r.reason))
  const result = await db.execute(sql`
    with moved as (
      delete from ${documentUpdates}
      where ${documentUpdates.docName} = ${docName} and ${documentUpdates.seq} = any(${seqs}::bigint[])
      returning seq, "update"
    )
    insert into ${documentQuarantine} (doc_name, seq, "update", reason)
    select ${docName}, moved.seq, moved."update", r.reason
    from moved join unnest(${seqs}::bigint[], ${reasons}::text[]) as r(seq, reason) on r.seq = moved.seq
    returning seq`)
  return (result as { rows: { seq: string | number }[] }).rows.map((r) => Number(r.seq))
}

async function moveSnapshot(db: Db, docName: string, snapshot: SkippedUpdate): Promise<boolean> {
  const result = await db.execute(sql`
    with reset as (
      update ${documentSnapshots} set state = ${EMPTY_STATE}::bytea, updated_at = now()
      where doc_name = ${docName} and md5(state) = md5(${snapshot.update}::bytea)
      returning 1
    )
    insert into ${documentQuarantine} (doc_name, seq, "update", reason)
    select ${docName}, null, ${snapshot.update}::bytea, ${snapshot.reason} from reset
    returning 1`)
  return (result as { rows: unknown[] }).rows.length > 0
}
