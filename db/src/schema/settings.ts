import { jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'

/**
 * A person's IDE settings (theme, editor options, presence colour). The JSON is validated by
 * `userSettingsSchema` (`@mimiverse/shared`) on the way in and read back field by field, so the column holds
 * whatever shape the version that wrote it used.
 */
export const userSettings = pgTable('user_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
