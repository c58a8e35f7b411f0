import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { projects } from './projects'

/**
 * One row per AI agent run: who asked, what, on which file, how it ended and how it was reviewed.
 * `state` is `running | done | failed | cancelled`; `review` is `pending | accepted | undone`. `aliveAt` is
 * refreshed by the AI process that runs it, so a run whose process died is seen (and recorded) as failed by any
 * node, while runs of other live processes sharing the database are left alone.
 */
export const agentRuns = pgTable(
  'agent_runs',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    docName: text('doc_name').notNull(),
    path: text('path').notNull(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    instruction: text('instruction').notNull(),
    /** The selection the edit was restricted to (1-based lines and columns), or null for the whole file. */
    range: jsonb('range'),
    state: text('state').notNull().default('running'),
    message: text('message'),
    edits: integer('edits').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    review: text('review').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    aliveAt: timestamp('alive_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by'),
  },
  (t) => [
    index('agent_runs_project_created_idx').on(t.projectId, t.createdAt),
    index('agent_runs_state_idx').on(t.state),
  ],
)
