export { openDatabase, fromPglite } from './client'
export type { Database, Db, OpenDatabaseOptions } from './client'
export { migrate, migrationStatus, migrationsFolder } from './migrate'
export { startVacuumer } from './vacuum'
export type { Vacuumer, VacuumerOptions } from './vacuum'
export { hashToken, findSessionUser, findRole } from './queries/access'
export type { SessionUser } from './queries/access'
export { loadDocument, loadDocumentUpdates, readDocumentText, readDocumentTexts } from './queries/documents'
export type { StoredDocument } from './queries/documents'
export { appendDocumentUpdates } from './queries/document-log'
export {
  compactLogChunk,
  countDocumentUpdates,
  deleteDocumentUpdates,
  documentLogSize,
  lockSnapshot,
  readSnapshot,
  removeDocument,
  replaceSnapshotIfUnchanged,
  writeSnapshot,
} from './queries/compaction'
export type { AppendedRow } from './queries/document-log'
export { acquireWorkspaceLease, releaseWorkspaceLease } from './queries/workspace-leases'
