import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { projects } from './projects'

/**
 * Which runner mirrors a project's working tree: one at a time, so two nodes never write the same files. A
 * holder renews its lease while it runs; a lease that expired (its runner died) may be taken by another.
 */
export const workspaceLeases = pgTable('workspace_leases', {
  projectId: uuid('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
})
