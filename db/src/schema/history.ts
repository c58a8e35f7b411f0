import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { bytea } from './types'

/**
 * Who writes document content. `user`: a member typing; `agent`: an AI agent run acting for a member;
 * `mirror`: the workspace mirror (files changed on disk, terminals); `mcp`: an outside tool acting for a member;
 * `server`: an edit the server made itself (a file created with content, a restore).
 */
export const AuthorKind = {
  User: 'user',
  Agent: 'agent',
  Mirror: 'mirror',
  Mcp: 'mcp',
  Server: 'server',
} as const
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind]

/**
 * Which author first wrote with each Yjs client id of a document, as the collab server saw it on an
 * authenticated connection (a client's own claim is never read). First seen wins: a later connection writing
 * under a client id it did not start with does not take the id over (its own ranges are in `document_edits`).
 */
export const documentAuthors = pgTable(
  'document_authors',
  {
    docName: text('doc_name').notNull(),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<AuthorKind>().notNull(),
    /** The member (for `agent` and `mcp`, the member the run acts for); null for the mirror and the server. */
    userId: text('user_id'),
    runId: text('run_id'),
    firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'document_authors_pk', columns: [t.docName, t.clientId] })],
)

/**
 * What each author wrote and when: the Yjs items `(clientId, clock_from ..< clock_to)` that a connection's
 * updates added to the document, and (`deletes`, an encoded Yjs snapshot holding only a delete set) what they
 * deleted, between `firstAt` and `lastAt`. The collab server merges a connection's consecutive updates into one
 * row for a few seconds, so typing costs one row per pause, not per keystroke. Rows outlive log compaction:
 * blame and rollback by author read them.
 */
export const documentEdits = pgTable(
  'document_edits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    docName: text('doc_name').notNull(),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    clockFrom: integer('clock_from').notNull(),
    clockTo: integer('clock_to').notNull(),
    deletes: bytea('deletes'),
    kind: text('kind').$type<AuthorKind>().notNull(),
    userId: text('user_id'),
    runId: text('run_id'),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('document_edits_doc_client_idx').on(t.docName, t.clientId, t.clockFrom),
    index('document_edits_doc_time_idx').on(t.docName, t.lastAt),
  ],
)

/** Why a version exists. */
export const VersionKind = {
  /** After a pause in typing, or every few minutes while people type. */
  Auto: 'auto',
  /** Named by a member. */
  Named: 'named',
  AgentBefore: 'agent-before',
  AgentAfter: 'agent-after',
  /** Taken just before a restore or rollback changed the document. */
  BeforeRestore: 'before-restore',
} as const
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind]

/**
 * A version of a document. `diff` is a Yjs update holding what the document gained since the version before
 * (same document, lower `seq`) and only the deletions that version did not have; a `checkpoint` row's diff is
 * the whole state instead. Opening a version merges the diffs from the last checkpoint up to it.
 */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    docName: text('doc_name').notNull(),
    kind: text('kind').$type<VersionKind>().notNull(),
    name: text('name'),
    createdBy: text('created_by'),
    runId: text('run_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    checkpoint: boolean('checkpoint').notNull(),
    stateVector: bytea('state_vector').notNull(),
    diff: bytea('diff').notNull(),
    /** Length of the text, for the version list. */
    chars: integer('chars').notNull(),
  },
  (t) => [index('document_versions_doc_seq_idx').on(t.docName, t.seq)],
)
