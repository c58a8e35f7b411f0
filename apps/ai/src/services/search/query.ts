import { sql, type SQL } from 'drizzle-orm'
import type { Db, VectorStatus } from '@mimiverse/db'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { SearchHit, SearchMode, SearchResults, SearchStatus } from '../../contracts/search'
import type { EmbeddingService } from '../embeddings'
import { LOCAL_EMBED_MODEL, localEmbed } from '../local-embedder'
import type { AiMetrics } from '../metrics'
import { capPerFile, reciprocalRankFusion } from './fusion'
import { rowsOf, toPgArray, vectorLiteral } from './store'
import { identifierParts, queryTerms } from './tokenize'
import { createVectorSupport } from './vector-support'

/**
 * The query side of code search. Text mode ranks chunks whose full-text vector matches any query term
 * (BM25 with binary term frequency, plus a little when the path matches a term); vector mode ranks by cosine
 * distance to the query's embedding, made by the model that indexed the project; hybrid fuses the two
 * rankings with reciprocal rank fusion (k = 60) over `CANDIDATES` of each and keeps two hits per file.
 */
export interface SearchQuery {
  projectId: string
  q: string
  mode: SearchMode
  limit: number
  path?: string
  perFile?: number
}

export interface SearchQueries {
  query(input: SearchQuery): Promise<SearchResults>
  status(projectId: string): Promise<SearchStatus>
}

/** Candidates taken from each ranking before fusion (and before the per-file cap in every mode). */
export const CANDIDATES = 100
const HYBRID_PER_FILE = 2
/** HNSW candidate list; iterative scans keep going when the project filter drops rows. */
const EF_SEARCH = 200
/** Width covered by the partial HNSW index of the migration. */
const INDEXED_DIMS = 768
const SNIPPET_CHARS = 4_000

/** Added to a text score when the file's path holds a query word (folder or file name). */
const PATH_BOOST = 0.5

/** Text rows re-ranked with a small boost for paths that hold a word of the query. */
function withPathBoost(rows: Row[], q: string): Row[] {
  const words = new Set(queryTerms(q).english)
  const boosted = rows.map((r) => {
    const parts = (r.path.match(/[\p{L}\p{N}_]+/gu) ?? []).flatMap(identifierParts)
    const hit = parts.some((p) => words.has(p) || words.has(p.replace(/s$/, '')))
    return hit ? { ...r, score: Number(r.score) + PATH_BOOST } : r
  })
  return boosted.sort((a, b) => Number(b.score) - Number(a.score))
}

interface Row {
  file_id: string
  ordinal: number
  path: string
  start_line: number
  end_line: number
  content: string
  score: number
}

export function createSearchQueries(o: {
  db: Db
  embeddings: EmbeddingService
  metrics: AiMetrics
  /** Whether the database has pgvector (default: asked of `db`); without, hybrid ranks by text alone. */
  vectorSupport?: () => Promise<VectorStatus>
}): SearchQueries {
  const vectorSupport = o.vectorSupport ?? createVectorSupport(o.db)
  const pathFilter = (path: string | undefined, column = sql`f.path`): SQL => {
    if (!path) return sql``
    const folder = path.replace(/\/+$/, '')
    return sql`and (${column} = ${folder} or starts_with(${column}, ${`${folder}/`}))`
  }

  /**
   * BM25 over the project's chunks, with each term counted once per chunk: PostgreSQL's own `ts_rank` has no
   * inverse document frequency, so a common word (`value`, `get`) would weigh as much as a rare one. Each
   * query term's document frequency is counted with the GIN index; a chunk scores the IDF of the terms it
   * holds, normalized by its length (k1 = 1.2, b = 0.75). A path that holds a term adds a little (in
   * `withPathBoost`: paths are not in the stored vector, or renames would re-index).
   */
  const textRows = async (input: SearchQuery, n: number): Promise<Row[]> => {
    const terms = queryTerms(input.q)
    if (terms.simple.length + terms.english.length === 0) return []
    const anyTerm = sql.join(
      [
        ...(terms.simple.length ? [sql`to_tsquery('simple', ${terms.simple.join(' | ')})`] : []),
        ...(terms.english.length ? [sql`to_tsquery('english', ${terms.english.join(' | ')})`] : []),
      ],
      sql` || `,
    )
    // One pass over the chunks matching any term (GIN): each one's lexeme array is read once and gives both
    // the document frequencies (a term's chunks all match) and the score. Testing `fts @@ term` per term
    // would decompress every vector once per term.
    return rowsOf<Row>(
      o.db,
      sql`with stats as (
            select count(*)::float8 as n, greatest(avg(tokens), 1)::float8 as avgdl
            from search_chunks where project_id = ${input.projectId}),
          q as (select (${anyTerm}) as query),
          terms as (
            select array(select distinct l from unnest(
              tsvector_to_array(to_tsvector('english', ${terms.english.join(' ')}))
                || ${toPgArray(terms.simple)}::text[]) as l) as lexemes),
          matching as materialized (
            select c.file_id, c.ordinal, c.tokens, f.path, tsvector_to_array(c.fts) as lex
            from search_chunks c join files f on f.id = c.file_id, q
            where c.project_id = ${input.projectId} and c.fts @@ q.query),
          weighted as materialized (
            select l as lexeme, ln(1 + (stats.n - count(*) + 0.5) / (count(*) + 0.5)) as idf
            from matching m, terms, stats, unnest(terms.lexemes) as l
            where l = any(m.lex)
            group by l, stats.n),
          scored as (
            select m.file_id, m.ordinal,
              (select coalesce(sum(w.idf), 0) from weighted w where w.lexeme = any(m.lex))
                * 2.2 / (1.3 + 0.9 * m.tokens / stats.avgdl) as score
            from matching m, stats
            where true ${pathFilter(input.path, sql`m.path`)}
            order by score desc
            limit ${n})
          select c.file_id, c.ordinal, f.path, c.start_line, c.end_line, c.content, s.score
          from scored s
          join search_chunks c on c.file_id = s.file_id and c.ordinal = s.ordinal
          join files f on f.id = c.file_id
          order by s.score desc, f.path, c.start_line`,
    )
  }

  /** The model most of the project's vectors were made by, and their width. */
  const projectModel = async (projectId: string) => {
    const [row] = await rowsOf<{ embedding_model: string; dims: number }>(
      o.db,
      sql`select embedding_model, dims from search_chunks
          where project_id = ${projectId} and embedding_model is not null
          group by embedding_model, dims order by count(*) desc limit 1`,
    )
    return row ? { model: row.embedding_model, dims: Number(row.dims) } : null
  }

  /** The query's vector in the index's model, or `null` when that model cannot be reached now. */
  const queryVector = async (projectId: string, q: string) => {
    const index = await projectModel(projectId)
    if (!index) return null
    // The built-in embedder is deterministic and always here: no need to ask the backends.
    if (index.model === LOCAL_EMBED_MODEL) return { ...index, vector: localEmbed(q, index.dims) }
    const result = await o.embeddings.embed([q], { kind: 'query' })
    const vector = result.vectors[0]
    if (result.model !== index.model || vector?.length !== index.dims) return null
    return { ...index, vector }
  }

  const vectorRows = async (
    input: SearchQuery,
    n: number,
    target: { model: string; dims: number; vector: number[] },
  ): Promise<Row[]> => {
    const literal = vectorLiteral(target.vector)
    // The same expression as the partial HNSW index, so the planner can use it for 768 dimensions.
    const distance =
      target.dims === INDEXED_DIMS
        ? sql`(c.embedding::vector(768) <=> ${literal}::vector(768))`
        : sql`(c.embedding <=> ${literal}::vector)`
    return o.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local hnsw.ef_search = ${EF_SEARCH}`))
      await tx.execute(sql`set local hnsw.iterative_scan = relaxed_order`)
      return rowsOf<Row>(
        tx,
        sql`select * from (
              select c.file_id, c.ordinal, f.path, c.start_line, c.end_line, c.content, 1 - ${distance} as score
              from search_chunks c join files f on f.id = c.file_id
              where c.project_id = ${input.projectId} and c.dims = ${target.dims}
                and c.embedding_model = ${target.model} ${pathFilter(input.path)}
              order by ${distance}
              limit ${n}) hits
            order by score desc`,
      )
    })
  }

  const toHit = (r: Row, score: number): SearchHit => ({
    fileId: r.file_id,
    path: r.path,
    startLine: Number(r.start_line),
    endLine: Number(r.end_line),
    snippet: r.content.length > SNIPPET_CHARS ? `${r.content.slice(0, SNIPPET_CHARS)}\n…` : r.content,
    score,
  })

  const run = async (input: SearchQuery): Promise<SearchResults> => {
    const n = Math.max(CANDIDATES, input.limit)
    const perFile = input.perFile ?? (input.mode === 'hybrid' ? HYBRID_PER_FILE : Number.POSITIVE_INFINITY)
    const finish = (hits: SearchHit[], embeddingModel: string | null): SearchResults => ({
      results: capPerFile(hits, (h) => h.fileId, perFile).slice(0, input.limit),
      mode: input.mode,
      embeddingModel,
    })
    if (input.mode === 'text') {
      return finish(
        (await textRows(input, n)).map((r) => toHit(r, Number(r.score))),
        null,
      )
    }
    const support = await vectorSupport()
    if (input.mode === 'vector' && !support.ready) {
      throw new AppError(
        ErrorCode.Unavailable,
        `${support.reason ?? 'vector search is unavailable'}; try text search`,
      )
    }
    const target = support.ready ? await queryVector(input.projectId, input.q) : null
    if (input.mode === 'vector') {
      if (!target) {
        const none = await projectModel(input.projectId)
        if (!none) return finish([], null)
        throw new AppError(
          ErrorCode.Unavailable,
          `The embedding model that indexed this project (${none.model}) is not reachable; try text search`,
        )
      }
      const rows = await vectorRows(input, n, target)
      return finish(
        rows.map((r) => toHit(r, Number(r.score))),
        target.model,
      )
    }
    const [text, vector] = await Promise.all([
      textRows(input, n).then((rows) => withPathBoost(rows, input.q)),
      target ? vectorRows(input, n, target) : Promise.resolve([]),
    ])
    const fused = reciprocalRankFusion([text, vector], (r) => `${r.file_id}:${r.ordinal}`)
    return finish(
      fused.map(({ item, score }) => toHit(item, score)),
      target?.model ?? null,
    )
  }

  return {
    async query(input) {
      const end = o.metrics.searchQueryDuration.startTimer({ mode: input.mode })
      try {
        return await run(input)
      } finally {
        end()
      }
    },
    async status(projectId) {
      const [row] = await rowsOf<{
        files: number
        indexed: number
        chunks: number
        pending: number
        indexed_at: Date | string | null
      }>(
        o.db,
        sql`select
              (select count(*)::int from files where project_id = ${projectId}) as files,
              (select count(*)::int from search_files s
                where s.project_id = ${projectId}
                  and not exists (select 1 from search_queue q where q.file_id = s.file_id)) as indexed,
              (select count(*)::int from search_chunks where project_id = ${projectId}) as chunks,
              (select count(*)::int from search_queue q
                where q.project_id = ${projectId}
                  and exists (select 1 from files f where f.id = q.file_id)) as pending,
              (select max(indexed_at) from search_files where project_id = ${projectId}) as indexed_at`,
      )
      const files = Number(row?.files ?? 0)
      const indexedFiles = Number(row?.indexed ?? 0)
      const pending = Number(row?.pending ?? 0)
      return {
        files,
        indexedFiles,
        chunks: Number(row?.chunks ?? 0),
        pending,
        embeddingModel: (await projectModel(projectId))?.model ?? null,
        state: pending > 0 || indexedFiles < files ? 'indexing' : 'idle',
        textOnly: (await vectorSupport()).reason ?? null,
        indexedAt: row?.indexed_at ? new Date(row.indexed_at).toISOString() : null,
      }
    },
  }
}
