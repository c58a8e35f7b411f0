import { AppError, ErrorCode, filePathProblem, MAX_FILE_CHARS, Role } from '@mimiverse/shared'
import type { AccessService } from './access'
import type { DocStore } from './doc-store'
import { createFileService, type FileInfo } from './files'
import type { Db } from '@mimiverse/db'

/**
 * The project file operations of the workspace mirror (the runner), a service of the server rather than a
 * member: the same file service the API uses, so the files table, the seeded documents and everyone's file tree
 * change exactly as when a person creates, renames or deletes a file, without the membership check (the runner
 * picks its projects; no client chooses them). Paths and sizes are checked here as the API's input schemas do.
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
  }
  const files = createFileService(deps.db, access, deps.store)
  const checkPath = (path: string) => {
    const problem = filePathProblem(path)
    if (problem) throw new AppError(ErrorCode.BadRequest, `Invalid file path: ${problem}`)
  }
  return {
    list: (projectId) => files.list(SERVICE, projectId),
    create: (projectId, path, content) => {
      checkPath(path)
      if (content.length > MAX_FILE_CHARS) {
        throw new AppError(ErrorCode.BadRequest, `content is larger than ${MAX_FILE_CHARS} characters`)
      }
      return files.create(SERVICE, { projectId, path, content })
    },
    rename: (projectId, fileId, path) => {
      checkPath(path)
      return files.rename(SERVICE, { projectId, fileId, path })
    },
    delete: async (projectId, fileId) => {
      const { docName } = await files.delete(SERVICE, { projectId, fileId })
      deps.live.close(docName)
      // Anything a live client managed to log between the delete and the close is removed too.
      await deps.store.remove(docName)
    },
  }
}
