import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'

/**
 * The search tables in SQL, for the indexer and the query side. Raw SQL because most of it is what drizzle's
 * builder cannot say (tsvector and vector expressions, `FOR UPDATE SKIP LOCKED`); both drivers run it.
 */

/** Rows of a raw query, whichever driver ran it (both answer `{ rows }`). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query)
  return (result as { rows: T[] }).rows
}

/**
 * A pgvector literal; numbers only, so it is safe as a bound parameter cast to `vector`. pgvector stores
 * float4, so 7 significant digits lose nothing; shorter text is much cheaper to parse (PGlite parses at
 * WebAssembly speed).
 */
export const vectorLiteral = (v: number[]): string => `[${v.map((x) => Number(x.toPrecision(7))).join(',')}]`

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

/**
 * Done: the rows go, except those of files that changed again while they were indexed (their generation
 * moved on): those are released, due again after the debounce.
 */
export async function finishClaims(db: Db, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return
  const gone = await rowsOf<{ file_id: string }>(
    db,
    sql`delete from search_queue q
        using unnest(${toPgArray(claims.map((c) => c.fileId))}::uuid[],
                     ${toPgArray(claims.map((c) => String(c.generation)))}::int[]) as d(file_id, generation)
        where q.file_id = d.file_id and q.generation = d.generation
        returning q.file_id`,
  )
  const removed = new Set(gone.map((r) => r.file_id))
  const changed = claims.filter((c) => !removed.has(c.fileId)).map((c) => c.fileId)
  if (changed.length === 0) return
  await db.execute(
    sql`update search_queue set claimed_until = null, attempts = 0, first_changed_at = changed_at
        where file_id = any(${toPgArray(changed)}::uuid[])`,
  )
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

/** The files and what is indexed of each; a file that no longer exists is missing from the map. */
export async function filesToIndex(db: Db, fileIds: string[]): Promise<Map<string, FileToIndex>> {
  if (fileIds.length === 0) return new Map()
  const rows = await rowsOf<{
    id: string
    path: string
    project_id: string
    text_hash: string | null
    version: number | null
    embedding_model: string | null
    chunks: number | null
  }>(
    db,
    sql`select f.id, f.path, f.project_id, s.text_hash, s.version, s.embedding_model, s.chunks
        from files f left join search_files s on s.file_id = f.id where f.id = any(${toPgArray(fileIds)}::uuid[])`,
  )
  return new Map(
    rows.map((row) => [
      row.id,
      {
        path: row.path,
        projectId: row.project_id,
        indexed:
          row.text_hash === null
            ? null
            : {
                textHash: row.text_hash,
                version: Number(row.version),
                model: row.embedding_model,
                chunks: Number(row.chunks),
              },
      },
    ]),
  )
}

/** Which of these content hashes have a cached embedding by `model`. */
export async function cachedHashes(db: Db, model: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set()
  const rows = await rowsOf<{ content_hash: string }>(
    db,
    sql`select content_hash from search_embeddings
        where model = ${model} and content_hash = any(${toPgArray(hashes)}::text[])`,
  )
  return new Set(rows.map((r) => r.content_hash))
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
  tokens: number
  /** Whether `search_embeddings` holds its vector by the file's model (copied inside the database). */
  embedded: boolean
}

/** Most rows per INSERT statement (11 parameters each; PostgreSQL takes 65,535). */
const ROWS_PER_INSERT = 500

/** One file's new index: what to record in `search_files` and its chunks. */
export interface FileIndex {
  fileId: string
  projectId: string
  textHash: string
  version: number
  model: string | null
  chunks: ChunkRow[]
}

/**
 * Replaces every chunk of the given files and records what was indexed, in one transaction. Files deleted
 * meanwhile are skipped (their rows are gone); returns the ids written.
 */
export async function replaceChunks(
  db: Db,
  indexes: FileIndex[],
  options: { vectors: boolean } = { vectors: true },
): Promise<Set<string>> {
  if (indexes.length === 0) return new Set()
  return db.transaction(async (tx) => {
    const ids = toPgArray(indexes.map((f) => f.fileId))
    const existing = await rowsOf<{ id: string }>(
      tx,
      sql`select id from files where id = any(${ids}::uuid[]) order by id for share`,
    )
    const live = new Set(existing.map((r) => r.id))
    const kept = indexes.filter((f) => live.has(f.fileId))
    if (kept.length === 0) return live
    await tx.execute(sql`delete from search_chunks where file_id = any(${ids}::uuid[])`)
    const rows = kept.flatMap((f) => f.chunks.map((c, ordinal) => ({ f, c, ordinal })))
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const values = rows.slice(i, i + ROWS_PER_INSERT).map(
        ({ f, c, ordinal }) => sql`(${f.fileId}::uuid, ${ordinal}::int, ${f.projectId}::uuid,
          ${c.startLine}::int, ${c.endLine}::int, ${c.content}::text, ${c.contentHash}::text,
          setweight(to_tsvector('simple', ${c.simple}), 'B') || to_tsvector('english', ${c.english}),
          ${c.tokens}::int, ${c.embedded ? f.model : null}::text)`,
      )
      const rowsSql = sql`(values ${sql.join(values, sql`, `)}) as v(file_id, ordinal, project_id, start_line,
        end_line, content, content_hash, fts, tokens, embedding_model)`
      // Vectors are copied from the cache inside the database: never sent, nor parsed, twice. Without pgvector
      // there is neither cache nor vector column: text search only.
      await tx.execute(
        options.vectors
          ? sql`insert into search_chunks (file_id, ordinal, project_id, start_line, end_line, content,
                content_hash, fts, tokens, embedding_model, dims, embedding)
              select v.*, vector_dims(e.embedding), e.embedding from ${rowsSql}
              left join search_embeddings e on e.model = v.embedding_model and e.content_hash = v.content_hash`
          : sql`insert into search_chunks (file_id, ordinal, project_id, start_line, end_line, content,
                content_hash, fts, tokens, embedding_model)
              select v.* from ${rowsSql}`,
      )
    }
    const states = kept.map(
      (f) =>
        sql`(${f.fileId}, ${f.projectId}, ${f.textHash}, ${f.chunks.length}, ${f.model}, ${f.version}, now())`,
    )
    await tx.execute(
      sql`insert into search_files (file_id, project_id, text_hash, chunks, embedding_model, version, indexed_at)
          values ${sql.join(states, sql`, `)}
          on conflict (file_id) do update set text_hash = excluded.text_hash, chunks = excluded.chunks,
            embedding_model = excluded.embedding_model, version = excluded.version, indexed_at = now()`,
    )
    return live
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

/**
 * Bounds the embedding cache: drops vectors no chunk uses any more once they are `days` old (each debounced
 * edit of a chunk leaves one behind). Content that comes back within that time is not embedded again.
 */
export async function pruneEmbeddings(db: Db, days: number): Promise<number> {
  const rows = await rowsOf<{ content_hash: string }>(
    db,
    sql`delete from search_embeddings e
        where e.created_at < now() - ${days}::int * interval '1 day'
          and not exists (select 1 from search_chunks c
                          where c.content_hash = e.content_hash and c.embedding_model = e.model)
        returning e.content_hash`,
  )
  return rows.length
}
