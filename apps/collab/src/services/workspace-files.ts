import { AppError, ErrorCode, filePathSchema, MAX_FILE_CHARS, Role } from '@mimiverse/shared'
import type { AccessService } from './access'
import type { DocStore } from './doc-store'
import { createFileService, type FileInfo } from './files'
import type { Db } from '@mimiverse/db'

/**
 * The project file operations of the workspace mirror (the runner), a service of the server rather than a
 * member: the same file service the API uses, so the files table, the seeded documents and everyone's file tree
 * change exactly as when a person creates, renames or deletes a file, without the membership check (the runner
 * picks its projects; no client chooses them). Paths and sizes are checked here as the API's input schemas do,
 * and paths are stored NFC-normalized as theirs are.
 */
export interface WorkspaceFiles {
  list(projectId: string): Promise<FileInfo[]>
  create(projectId: string, path: string, content: string): Promise<FileInfo>
  rename(projectId: string, fileId: string, path: string): Promise<FileInfo>
  /** Deletes the file and its document, and closes the document's live connections (as `files.delete`). */
  delete(projectId: string, fileId: string): Promise<void>
}

/** No account has this id; the file service only hands it to the access service below. */
const SERVICE = 'workspace'

export function createWorkspaceFiles(deps: {
  db: Db
  access: AccessService
  store: DocStore
  live: { close(docName: string): void }
}): WorkspaceFiles {
  const grant = () => Promise.resolve(Role.Editor)
  const access: AccessService = {
    roleOf: grant,
    require: grant,
    fileExists: (projectId, fileId) => deps.access.fileExists(projectId, fileId),
    // The file service never asks; the workspace has no session.
    sessionActive: () => Promise.resolve(false),
  }
  const files = createFileService(deps.db, access, deps.store)
  /** The path as the API would store it (NFC), or BAD_REQUEST with the API's message. */
  const checkPath = (path: string) => {
    const parsed = filePathSchema.safeParse(path)
    if (!parsed.success) throw new AppError(ErrorCode.BadRequest, parsed.error.issues[0]!.message)
    return parsed.data
  }
  return {
    list: (projectId) => files.list(SERVICE, projectId),
    create: (projectId, path, content) => {
      const stored = checkPath(path)
      if (content.length > MAX_FILE_CHARS) {
        throw new AppError(ErrorCode.BadRequest, `content is larger than ${MAX_FILE_CHARS} characters`)
      }
      return files.create(SERVICE, { projectId, path: stored, content })
    },
    rename: (projectId, fileId, path) => files.rename(SERVICE, { projectId, fileId, path: checkPath(path) }),
    delete: async (projectId, fileId) => {
      const { docName } = await files.delete(SERVICE, { projectId, fileId })
      deps.live.close(docName)
      // Anything a live client managed to log between the delete and the close is removed too.
      await deps.store.remove(docName)
    },
  }
}
