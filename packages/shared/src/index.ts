export { AppError, ErrorCode, toError } from './errors'
export { CloseCode } from './close-codes'
export { Role, roleSchema, inviteRoleSchema, roleAtLeast, canWrite } from './roles'
export type { InviteRole } from './roles'
export { CONTENT_FIELD, docNameFor, parseDocName } from './doc-name'
export { MAX_PATH_LENGTH, MAX_SEGMENT_LENGTH, filePathProblem, filePathSchema } from './file-path'
export {
  MAX_FILE_CHARS,
  idSchema,
  emailSchema,
  passwordSchema,
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
export { AGENT_RUNS_FIELD, AGENT_NAME, AGENT_USER_ID, WORKSPACE_USER } from './agent-marks'
export type { AgentRunMark, RelativePositionJson } from './agent-marks'
export { TYPED_TAIL_CHARS, typedSince } from './typed-since'
export { textEdits, applyEdits, applyOps, applyTextOps, transactions } from './text-diff'
export type { TextEdit, TextOp, EditableText } from './text-diff'
export { forEachConcurrently } from './concurrency'
