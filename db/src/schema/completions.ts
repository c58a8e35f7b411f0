import { sql } from 'drizzle-orm'
import { bigserial, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { projects } from './projects'

/**
 * What happened to each inline completion the editor showed (issue 7): `shown` when it appeared (with the
 * time from the keystroke's request to the answer), then `accepted` (Tab) or `dismissed` (Esc, or typed over).
 * `ai.completionStats` reads acceptance rate and latency percentiles from it.
 */
export const completionEvents = pgTable(
  'completion_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    docName: text('doc_name').notNull(),
    kind: text('kind', { enum: ['shown', 'accepted', 'dismissed'] }).notNull(),
    latencyMs: integer('latency_ms').notNull(),
    model: text('model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('completion_events_project_idx').on(t.projectId, t.createdAt),
    check('completion_events_kind_check', sql`${t.kind} in ('shown', 'accepted', 'dismissed')`),
  ],
)
