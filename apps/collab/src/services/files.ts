import { and, asc, eq } from 'drizzle-orm'
import { findFile, insertFile, renameFile, type Db } from '@mimiverse/db'
import { files } from '@mimiverse/db/schema'
import { AppError, docNameFor, ErrorCode, Role } from '@mimiverse/shared'
import type { AccessService } from './access'
import type { DocStore } from './doc-store'

export { MAX_FILES_PER_PROJECT } from '@mimiverse/db'

export interface FileInfo {
  id: string
  path: string
  docName: string
  updatedAt: Date
}

export interface FileService {
  create(userId: string, input: { projectId: string; path: string; content?: string }): Promise<FileInfo>
  list(userId: string, projectId: string): Promise<FileInfo[]>
  rename(userId: string, input: { projectId: string; fileId: string; path: string }): Promise<FileInfo>
  delete(userId: string, input: { projectId: string; fileId: string }): Promise<{ docName: string }>
  read(userId: string, input: { projectId: string; path: string }): Promise<{ id: string; content: string }>
}

const toInfo = (r: { id: string; projectId: string; path: string; updatedAt: Date }): FileInfo => ({
  id: r.id,
  path: r.path,
  docName: docNameFor(r.projectId, r.id),
  updatedAt: r.updatedAt,
})

/** The file tree's rules (count, clashes, seeding) are in @mimiverse/db (queries/files.ts), shared with the agent. */
export function createFileService(db: Db, access: AccessService, store: DocStore): FileService {
  return {
    async create(userId, input) {
      await access.require(userId, input.projectId, Role.Editor)
      return toInfo(await insertFile(db, input))
    },
    async list(userId, projectId) {
      await access.require(userId, projectId, Role.Reviewer)
      const rows = await db
        .select()
        .from(files)
        .where(eq(files.projectId, projectId))
        .orderBy(asc(files.path))
      return rows.map(toInfo)
    },
    async rename(userId, input) {
      await access.require(userId, input.projectId, Role.Editor)
      return toInfo(await renameFile(db, input))
    },
    async delete(userId, { projectId, fileId }) {
      await access.require(userId, projectId, Role.Editor)
      const row = await findFile(db, projectId, fileId)
      const docName = docNameFor(projectId, row.id)
      await store.flush()
      await db.transaction(async (tx) => {
        await tx.delete(files).where(eq(files.id, fileId))
        await store.remove(docName, tx)
      })
      return { docName }
    },
    async read(userId, { projectId, path }) {
      await access.require(userId, projectId, Role.Reviewer)
      const [row] = await db
        .select({ id: files.id })
        .from(files)
        .where(and(eq(files.projectId, projectId), eq(files.path, path)))
      if (!row) throw new AppError(ErrorCode.NotFound, `No file "${path}" in this project`)
      return { id: row.id, content: await store.readText(docNameFor(projectId, row.id)) }
    },
  }
}
