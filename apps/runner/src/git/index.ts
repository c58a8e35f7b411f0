export { createGitService } from './git-service'
export { createRepoTurns, gitError } from './repo'
export { createCredentialBox } from './credentials'
export type { CredentialBox } from './credentials'
export { createRemoteService } from './remote-service'
export { createHistoryImport } from './history-import'
export type { HistoryImport, ImportedHistory } from './history-import'
export { createImportEndpoint, HISTORY_IMPORT_PATH } from './import-endpoint'
export type { PullResult, RemoteInfo, RemoteOperation, RemoteService } from './remote-service'
export type {
  CoAuthorSource,
  Committer,
  FileDiffResult,
  GitPerson,
  GitService,
  GitServiceOptions,
  HunkRef,
  WorkspacePatch,
} from './git-service'
export { createGitContext, gitRouter, runnerRouter } from './router'
export type { GitContext, RunnerRouter } from './router'
export type { Branch, ChangeKind, Commit, FileStatus, Hunk, StatusResult } from './parse'
