export { openDatabase, fromPglite } from './client'
export type { Database, Db, OpenDatabaseOptions } from './client'
export { migrate, migrationStatus, migrationsFolder } from './migrate'
