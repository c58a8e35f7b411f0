export { openDatabase, fromPglite } from './client'
export type { Database, Db, OpenDatabaseOptions } from './client'
export { migrate, migrationStatus, migrationsFolder, PGVECTOR_HINT, vectorStatus } from './migrate'
export type { VectorStatus } from './migrate'
export { startVacuumer } from './vacuum'
export type { Vacuumer, VacuumerOptions } from './vacuum'
export { hashToken, findSessionUser, findRole } from './queries/access'
export type { SessionUser } from './queries/access'
export {
  loadDocument,
  loadDocumentUpdates,
  readDocumentText,
  readDocumentTexts,
  storedUpdates,
} from './queries/documents'
export type { LogRow, ReadOptions, StoredDocument } from './queries/documents'
export { quarantineUpdates } from './queries/quarantine'
export { EMPTY_STATE, replay, replayInto } from './replay'
export type { Replayed, SkippedUpdate, StoredUpdate } from './replay'
export { updateProblem } from './update-check'
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
export type { CompactedChunk } from './queries/compaction'
export type { AppendedRow } from './queries/document-log'
export {
  MAX_FILES_PER_PROJECT,
  deleteFile,
  findFile,
  initialDocumentState,
  fileListStamps,
  insertFile,
  renameFile,
} from './queries/files'
export type { FileRow } from './queries/files'
export { acquireWorkspaceLease, releaseWorkspaceLease } from './queries/workspace-leases'
export {
  authorsOf,
  authorsOfFiles,
  clientAuthorsOf,
  editsOf,
  recordClientAuthors,
  recordEdits,
  removeAuthorship,
} from './queries/authorship'
export type { Author, ClientAuthor, DocumentAuthor, EditRange, FilesAuthor } from './queries/authorship'
export { AuthorKind, VersionKind } from './schema/history'
export {
  applyRetention,
  docsWithOldVersions,
  findVersion,
  insertVersion,
  listVersions,
  removeVersions,
  versionAt,
  versionBytes,
  versionChain,
  versionDiffs,
  versionStamps,
  versionTip,
} from './queries/versions'
export type { NewVersion, RetentionChange, VersionInfo, VersionStamp } from './queries/versions'
export {
  ACCESS_TOKEN_PREFIX,
  createAccessToken,
  findAccessToken,
  findAccessTokenById,
  listAccessTokens,
  revokeAccessToken,
  touchAccessToken,
} from './queries/access-tokens'
export type { AccessTokenRow } from './queries/access-tokens'
export { deleteGitRemote, findGitRemote, saveGitRemote } from './queries/git-remotes'
export type { GitRemoteRow } from './queries/git-remotes'
