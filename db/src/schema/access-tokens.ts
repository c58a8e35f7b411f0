import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { users } from './accounts'
import { projects } from './projects'

/**
 * Personal access tokens: what an outside agent (Claude Code, Codex, Gemini CLI) sends to `/mcp` as a bearer
 * token. Each is for one project and one role (at most its creator's, and checked against the creator's current
 * role on every call). Only a SHA-256 of the token is stored; it is shown once, when created.
 */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'editor', 'reviewer'] }).notNull(),
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('access_tokens_project_idx').on(t.projectId),
    check('access_tokens_role_check', sql`${t.role} in ('owner', 'editor', 'reviewer')`),
  ],
)
