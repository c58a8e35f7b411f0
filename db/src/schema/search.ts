import { sql } from 'drizzle-orm'
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { files } from './documents'

/**
 * Code search: chunks, their index and the queue that feeds it. Written by hand in `migrations/0001_search.sql`,
 * which also holds what drizzle cannot
 * express: the partial HNSW expression index for 768-dimensional vectors and the triggers on `document_updates`
 * and `document_snapshots` that feed `search_queue`.
 */

/** A pgvector `vector` of any width: rows carry their model and width, so one column serves every model. */
const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (v) => `[${v.join(',')}]`,
  fromDriver: (v) => JSON.parse(v) as number[],
})

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/** Files waiting to be (re)indexed; a file id appears once however often it changes (debounced by time). */
export const searchQueue = pgTable(
  'search_queue',
  {
    fileId: uuid('file_id').primaryKey(),
    projectId: uuid('project_id').notNull(),
    /** When the oldest change not yet indexed happened: bounds the debounce under continuous typing. */
    firstChangedAt: timestamp('first_changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Bumped by every change: an indexer that claimed generation n keeps the row when it moved on. */
    generation: integer('generation').notNull().default(0),
    /** Set while an indexer works on the file; an expired claim (a crashed replica) is taken over. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    index('search_queue_project_idx').on(t.projectId),
    index('search_queue_changed_idx').on(t.changedAt),
  ],
)

/** What is indexed of each file: the hash of the text and the chunker version it was indexed with. */
export const searchFiles = pgTable(
  'search_files',
  {
    fileId: uuid('file_id')
      .primaryKey()
      .references(() => files.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id').notNull(),
    textHash: text('text_hash').notNull(),
    chunks: integer('chunks').notNull(),
    embeddingModel: text('embedding_model'),
    version: integer('version').notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('search_files_project_idx').on(t.projectId)],
)

/** Chunks of every file. The path is not stored: it is joined from `files`, so a rename costs nothing. */
export const searchChunks = pgTable(
  'search_chunks',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    projectId: uuid('project_id').notNull(),
    /** 1-based, inclusive. */
    startLine: integer('start_line').notNull(),
    endLine: integer('end_line').notNull(),
    content: text('content').notNull(),
    contentHash: text('content_hash').notNull(),
    fts: tsvector('fts').notNull(),
    /** Identifier parts in the chunk: its length for BM25's length normalization. */
    tokens: integer('tokens').notNull(),
    embeddingModel: text('embedding_model'),
    dims: integer('dims'),
    embedding: anyVector('embedding'),
  },
  (t) => [
    primaryKey({ columns: [t.fileId, t.ordinal] }),
    index('search_chunks_project_idx').on(t.projectId),
    index('search_chunks_fts_idx').using('gin', t.fts),
    index('search_chunks_embedding_768_idx')
      .using('hnsw', sql`(${t.embedding}::vector(768)) vector_cosine_ops`)
      .with({ m: 8, ef_construction: 16 })
      .where(sql`${t.dims} = 768`),
  ],
)

/** Embeddings by (model, content hash): the same content is never embedded twice by one model. */
export const searchEmbeddings = pgTable(
  'search_embeddings',
  {
    model: text('model').notNull(),
    contentHash: text('content_hash').notNull(),
    embedding: anyVector('embedding').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.model, t.contentHash] })],
)
