import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { projects } from './projects'

/**
 * A task run of the AI agent: a loop of model turns and tool calls across the project's files. `state` is
 * `running | done | failed | cancelled | interrupted`; `aliveAt` is refreshed by the process that runs it, so a
 * run whose process died is seen as interrupted (by any node) instead of running forever.
 */
export const agentTasks = pgTable(
  'agent_tasks',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    instruction: text('instruction').notNull(),
    /** The outside agent (over `/mcp`) whose session this run is, by name; null for Mimi's own runs. */
    agent: text('agent'),
    state: text('state').notNull().default('running'),
    message: text('message'),
    steps: integer('steps').notNull().default(0),
    tokens: integer('tokens').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    aliveAt: timestamp('alive_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('agent_tasks_project_created_idx').on(t.projectId, t.createdAt),
    index('agent_tasks_state_idx').on(t.state),
  ],
)

/** What a task run showed everyone, in order: its plan, each step (tool, arguments, short result), approvals. */
export const agentTaskEvents = pgTable(
  'agent_task_events',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => agentTasks.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    stepId: text('step_id'),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
)

/** Each file a task run changed, and how a person reviewed it (`pending | accepted | undone`). */
export const agentTaskFiles = pgTable(
  'agent_task_files',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => agentTasks.id, { onDelete: 'cascade' }),
    docName: text('doc_name').notNull(),
    path: text('path').notNull(),
    inserted: integer('inserted').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    review: text('review').notNull().default('pending'),
    reviewedBy: uuid('reviewed_by'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.docName] })],
)

/** Per-project agent settings: whether the agent may run commands without an editor's approval. */
export const agentProjectSettings = pgTable('agent_project_settings', {
  projectId: uuid('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  allowCommands: boolean('allow_commands').notNull().default(false),
})
