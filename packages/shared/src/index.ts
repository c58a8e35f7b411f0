export { AppError, ErrorCode, toError } from './errors'
export { CloseCode } from './close-codes'
export { Role, roleSchema, inviteRoleSchema, roleAtLeast, canWrite } from './roles'
export type { InviteRole } from './roles'
export {
  CONTENT_FIELD,
  docNameFor,
  parseDocName,
  parseProjectDocName,
  ProjectDoc,
  projectDocName,
} from './doc-name'
export {
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  filePathCaseKey,
  filePathProblem,
  filePathSchema,
  normalizeFilePath,
} from './file-path'
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './password-length'
export { passwordProblem } from './password'
export {
  MAX_FILE_CHARS,
  idSchema,
  emailSchema,
  newPasswordSchema,
  displayNameSchema,
  signUpInput,
  signInInput,
  projectNameSchema,
  createProjectInput,
  projectInput,
  inviteInput,
  joinInput,
  createFileInput,
  renameFileInput,
  fileInput,
  readFileInput,
} from './schemas'
export {
  AGENT_RUNS_FIELD,
  AGENT_NAME,
  AGENT_USER_ID,
  agentTokenName,
  OUTSIDE_AGENT_ID_PREFIX,
  outsideAgentId,
  WORKSPACE_USER,
} from './agent-marks'
export { colorFor, fnv1a } from './color'
export type { PresentCollaborator } from './present-collaborator'
export type { AgentRunMark, RelativePositionJson } from './agent-marks'
export { TYPED_TAIL_CHARS, typedSince } from './typed-since'
export { textEdits, applyEdits, applyOps, applyTextOps, transactions } from './text-diff'
export type { TextEdit, TextOp, EditableText } from './text-diff'
export { forEachConcurrently } from './concurrency'
export {
  authorSchema,
  createVersionInput,
  historyFileInput,
  restoreProjectInput,
  rollbackInput,
  versionInput,
} from './history-schemas'
export type { AuthorInput } from './history-schemas'
export {
  COMMENTS_EVENT,
  MAX_COMMENT_CHARS,
  MAX_COMMENT_QUOTE_CHARS,
  MAX_PROJECT_COMMENTS,
  MAX_THREAD_COMMENTS,
  commentInput,
  commentStatusSchema,
  createCommentInput,
  inboxInput,
  listCommentsInput,
  markReadInput,
  replyCommentInput,
  threadInput,
  updateCommentInput,
} from './comment-schemas'
export type { CommentsEvent } from './comment-schemas'
export { COLORS_EVENT, FILES_EVENT, projectEventOf } from './project-events'
export type { ProjectEvent, ProjectEventType } from './project-events'
export {
  DEFAULT_SETTINGS,
  EditorTheme,
  PRESENCE_COLORS,
  RENDER_WHITESPACE,
  presenceColorSchema,
  settingsFrom,
  settingsPatchSchema,
  userSettingsSchema,
} from './settings'
export type { PresenceColor, SettingsPatch, UserSettings } from './settings'
