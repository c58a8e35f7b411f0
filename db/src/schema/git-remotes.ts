import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { projects } from './projects'

/**
 * A project's git remote (`origin`): where its workspace fetches, pulls and pushes. The URL never holds
 * credentials; the password or token is encrypted with a key derived from the server's secret (the runner's
 * `credentials.ts`, AES-256-GCM bound to the project) and is never returned by any API.
 */
export const gitRemotes = pgTable('git_remotes', {
  projectId: uuid('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  /** Shown to members (it is not secret); null when no credentials are set. */
  username: text('username'),
  /** `v1.<iv>.<tag>.<ciphertext>` (base64url); null when no credentials are set. */
  secret: text('secret'),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
