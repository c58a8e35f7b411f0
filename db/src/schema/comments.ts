import { check, index, pgTable, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { users } from './accounts'
import { files } from './documents'
import { projects } from './projects'
import { bytea } from './types'

/** Whether a review thread still asks for something. */
export const CommentStatus = { Open: 'open', Resolved: 'resolved' } as const
export type CommentStatus = (typeof CommentStatus)[keyof typeof CommentStatus]

/**
 * Review comments on code. A thread is its first comment (`threadId` null) and the replies that name it. The
 * first comment holds the anchor: two encoded Yjs relative positions in the file's `Y.Text` (they move with
 * edits, and are resolved against the live document when read), and `quote`, the text they enclosed when the
 * thread was started (shown once that text is gone). `status` and `resolved*` are the thread's, on its first
 * comment. A first comment deleted while it has replies keeps its row (`deletedAt`, empty body) so the
 * thread stays.
 */
export const reviewComments = pgTable(
  'review_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    threadId: uuid('thread_id').references((): AnyPgColumn => reviewComments.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    anchorFrom: bytea('anchor_from'),
    anchorTo: bytea('anchor_to'),
    quote: text('quote'),
    status: text('status').$type<CommentStatus>().notNull().default(CommentStatus.Open),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('review_comments_project_idx').on(t.projectId, t.createdAt),
    index('review_comments_thread_idx').on(t.threadId),
    check('review_comments_status_check', sql`${t.status} in ('open', 'resolved')`),
  ],
)

/** A member named (`@name`) in a comment: their inbox. `readAt` is set when they mark it read. */
export const commentMentions = pgTable(
  'comment_mentions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    commentId: uuid('comment_id')
      .notNull()
      .references(() => reviewComments.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    unique('comment_mentions_comment_user_unique').on(t.commentId, t.userId),
    index('comment_mentions_user_idx').on(t.userId, t.createdAt),
  ],
)
