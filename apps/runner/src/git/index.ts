export { createGitService, gitError } from './git-service'
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
