import { sql } from 'drizzle-orm'
import { bigserial, bigint, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { projects } from './projects'
import { bytea } from './types'

/** Files of a project. The id is stable across renames; the Yjs document is named `<projectId>/<id>`. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    /**
     * The path lowercased by `mimi_fold_path` (migration 0004: the built-in `pg_c_utf8` collation on PostgreSQL
     * 17+ and PGlite, ICU's root locale on older servers built with ICU, else the database's default), stored
     * with collation "C" (code point order; the migration says so, drizzle has no column collation) so that the
     * paths under a folder are one range of its index. Lets a path that differs only in case from an existing
     * one be found with an index look-up.
     */
    pathFolded: text('path_folded')
      .notNull()
      .generatedAlwaysAs(sql`mimi_fold_path(path)`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('files_project_path_unique').on(t.projectId, t.path),
    index('files_project_path_folded_idx').on(t.projectId, t.pathFolded),
  ],
)

/**
 * The compacted state of a document: a Yjs update holding every log row a compaction merged. `upToSeq` is the
 * highest seq merged so far, for information only: a lower seq can commit after a higher one, so "seq > upToSeq"
 * must never be used to select the tail. Loading a document = every `document_updates` row, then this snapshot.
 */
export const documentSnapshots = pgTable('document_snapshots', {
  docName: text('doc_name').primaryKey(),
  state: bytea('state').notNull(),
  upToSeq: bigint('up_to_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Append-only write-ahead log of Yjs updates. A client's update is appended here before the server applies
 * and acknowledges it; compaction folds a prefix into `document_snapshots` and deletes it.
 */
export const documentUpdates = pgTable(
  'document_updates',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    docName: text('doc_name').notNull(),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('document_updates_doc_seq_idx').on(t.docName, t.seq)],
)

/**
 * Stored updates that could not be applied, moved out of the way so that the rest of the document loads: a log
 * row keeps its `seq`, a snapshot has none. The collab server moves them when it replays a document (load,
 * compaction, read); nothing reads them back, they are kept for an operator to inspect (or repair and re-insert
 * into `document_updates`). The client that sent such an update was told and disconnected long ago.
 */
export const documentQuarantine = pgTable(
  'document_quarantine',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    docName: text('doc_name').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    update: bytea('update').notNull(),
    reason: text('reason').notNull(),
    quarantinedAt: timestamp('quarantined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('document_quarantine_doc_idx').on(t.docName, t.quarantinedAt)],
)
