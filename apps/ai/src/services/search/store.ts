import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'

/**
 * The search tables in SQL, for the indexer and the query side. Raw SQL because most of it is what drizzle's
 * builder cannot say (tsvector and vector expressions, `FOR UPDATE SKIP LOCKED`); both drivers run it.
 */

/** Rows of a raw query, whichever driver ran it (both answer `{ rows }`). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query)
  return (result as unknown as { rows: T[] }).rows
}

/** A pgvector literal; numbers only, so it is safe as a bound parameter cast to `vector`. */
export const vectorLiteral = (v: number[]): string => `[${v.join(',')}]`

/** A file an indexer has claimed; `generation` tells whether it changed again meanwhile. */
export interface Claim {
  fileId: string
  projectId: string
  generation: number
  attempts: number
}

export interface ClaimOptions {
  limit: number
  /** Quiet time after the last change before a file is indexed. */
  debounceMs: number
  /** Longest a file waits under continuous changes. */
  maxWaitMs: number
  /** How long a claim holds before another indexer may take the file over (a crashed replica). */
  leaseMs: number
}

/** Claims due files: several AI replicas share the queue, each skipping rows another has locked. */
export async function claimDue(db: Db, o: ClaimOptions): Promise<Claim[]> {
  const rows = await rowsOf<{ file_id: string; project_id: string; generation: number; attempts: number }>(
    db,
    sql`update search_queue q
        set claimed_until = now() + ${o.leaseMs}::int * interval '1 millisecond', attempts = q.attempts + 1
        where q.file_id in (
          select file_id from search_queue
          where (claimed_until is null or claimed_until < now())
            and (changed_at <= now() - ${o.debounceMs}::int * interval '1 millisecond'
              or first_changed_at <= now() - ${o.maxWaitMs}::int * interval '1 millisecond')
          -- Live edits before a restart's backlog (queued at -infinity), oldest change first.
          order by first_changed_at = '-infinity', changed_at
          limit ${o.limit}
          for update skip locked)
        returning q.file_id, q.project_id, q.generation, q.attempts`,
  )
  return rows.map((r) => ({
    fileId: r.file_id,
    projectId: r.project_id,
    generation: Number(r.generation),
    attempts: Number(r.attempts),
  }))
}

/** Done: the row goes, unless the file changed again while it was indexed (then it is due again later). */
export async function finishClaim(db: Db, claim: Claim): Promise<void> {
  const gone = await rowsOf<{ file_id: string }>(
    db,
    sql`delete from search_queue where file_id = ${claim.fileId} and generation = ${claim.generation}
        returning file_id`,
  )
  if (gone.length === 0) {
    await db.execute(
      sql`update search_queue set claimed_until = null, attempts = 0, first_changed_at = changed_at
          where file_id = ${claim.fileId}`,
    )
  }
}

/** Failed: retried after `retryMs`. */
export async function releaseClaim(db: Db, claim: Claim, retryMs: number): Promise<void> {
  await db.execute(
    sql`update search_queue set claimed_until = now() + ${retryMs}::int * interval '1 millisecond'
        where file_id = ${claim.fileId}`,
  )
}

export async function dropClaim(db: Db, claim: Claim): Promise<void> {
  await db.execute(sql`delete from search_queue where file_id = ${claim.fileId}`)
}

/**
 * Queues what a restart must catch up on: files never indexed, indexed by an older chunker, or (given
 * `model`) whose vectors were made by another model. Returns how many rows were added.
 */
export async function enqueueStale(db: Db, version: number, model: string | null): Promise<number> {
  const rows = await rowsOf<{ file_id: string }>(
    db,
    sql`insert into search_queue (file_id, project_id, first_changed_at, changed_at)
        select f.id, f.project_id, '-infinity', '-infinity' from files f
        left join search_files s on s.file_id = f.id
        where s.file_id is null or s.version <> ${version}
          or (${model}::text is not null and s.chunks > 0 and s.embedding_model is distinct from ${model}::text)
        order by f.id
        on conflict (file_id) do nothing
        returning file_id`,
  )
  return rows.length
}

export interface FileToIndex {
  path: string
  projectId: string
  indexed: { textHash: string; version: number; model: string | null; chunks: number } | null
}

/** The file and what is indexed of it; `null` when the file no longer exists. */
export async function fileToIndex(db: Db, fileId: string): Promise<FileToIndex | null> {
  const [row] = await rowsOf<{
    path: string
    project_id: string
    text_hash: string | null
    version: number | null
    embedding_model: string | null
    chunks: number | null
  }>(
    db,
    sql`select f.path, f.project_id, s.text_hash, s.version, s.embedding_model, s.chunks
        from files f left join search_files s on s.file_id = f.id where f.id = ${fileId}`,
  )
  if (!row) return null
  const indexed =
    row.text_hash === null
      ? null
      : {
          textHash: row.text_hash,
          version: Number(row.version),
          model: row.embedding_model,
          chunks: Number(row.chunks),
        }
  return { path: row.path, projectId: row.project_id, indexed }
}

export async function cachedEmbeddings(
  db: Db,
  model: string,
  hashes: string[],
): Promise<Map<string, number[]>> {
  if (hashes.length === 0) return new Map()
  const rows = await rowsOf<{ content_hash: string; embedding: string }>(
    db,
    sql`select content_hash, embedding::text as embedding from search_embeddings
        where model = ${model} and content_hash = any(${toPgArray(hashes)}::text[])`,
  )
  return new Map(rows.map((r) => [r.content_hash, JSON.parse(r.embedding) as number[]]))
}

export async function saveEmbeddings(
  db: Db,
  model: string,
  entries: { hash: string; vector: number[] }[],
): Promise<void> {
  if (entries.length === 0) return
  const values = entries.map((e) => sql`(${model}, ${e.hash}, ${vectorLiteral(e.vector)}::vector)`)
  await db.execute(
    sql`insert into search_embeddings (model, content_hash, embedding) values ${sql.join(values, sql`, `)}
        on conflict do nothing`,
  )
}

/** A chunk ready to store: its text, hash, full-text parts and vector. */
export interface ChunkRow {
  startLine: number
  endLine: number
  content: string
  contentHash: string
  simple: string
  english: string
  vector: number[] | null
}

/** Most rows per INSERT statement (12 parameters each; PostgreSQL takes 65,535). */
const ROWS_PER_INSERT = 500

/**
 * Replaces every chunk of a file and records what was indexed, in one transaction. Returns false when the
 * file was deleted meanwhile (its foreign key is gone; nothing is written).
 */
export async function replaceChunks(
  db: Db,
  file: { fileId: string; projectId: string; textHash: string; version: number; model: string | null },
  chunks: ChunkRow[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [exists] = await rowsOf<{ id: string }>(
      tx as unknown as Db,
      sql`select id from files where id = ${file.fileId} for share`,
    )
    if (!exists) return false
    await tx.execute(sql`delete from search_chunks where file_id = ${file.fileId}`)
    for (let i = 0; i < chunks.length; i += ROWS_PER_INSERT) {
      const values = chunks.slice(i, i + ROWS_PER_INSERT).map(
        (
          c,
          j,
        ) => sql`(${file.fileId}, ${i + j}, ${file.projectId}, ${c.startLine}, ${c.endLine}, ${c.content},
          ${c.contentHash},
          setweight(to_tsvector('simple', ${c.simple}), 'B') || to_tsvector('english', ${c.english}),
          ${c.vector ? file.model : null}, ${c.vector?.length ?? null},
          ${c.vector ? vectorLiteral(c.vector) : null}::vector)`,
      )
      await tx.execute(
        sql`insert into search_chunks (file_id, ordinal, project_id, start_line, end_line, content, content_hash,
              fts, embedding_model, dims, embedding)
            values ${sql.join(values, sql`, `)}`,
      )
    }
    await tx.execute(
      sql`insert into search_files (file_id, project_id, text_hash, chunks, embedding_model, version, indexed_at)
          values (${file.fileId}, ${file.projectId}, ${file.textHash}, ${chunks.length}, ${file.model},
            ${file.version}, now())
          on conflict (file_id) do update set text_hash = excluded.text_hash, chunks = excluded.chunks,
            embedding_model = excluded.embedding_model, version = excluded.version, indexed_at = now()`,
    )
    return true
  })
}

/** A text[] literal for `= any(...)`: one parameter however many values. */
export function toPgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

/** Files waiting over all projects (the queue-depth gauge). */
export async function queueDepth(db: Db): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from search_queue`)
  return Number(row?.n ?? 0)
}
