import { and, asc, count, eq } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { documentSnapshots, files } from '@mimiverse/db/schema'
import { AppError, docNameFor, ErrorCode, Role } from '@mimiverse/shared'
import type { AccessService } from './access'
import { DocStore } from './doc-store'
import { assertPathFree } from './path-clash'

/** Most files one project may hold; bounds the file tree and the search index. */
export const MAX_FILES_PER_PROJECT = 20_000

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

export function createFileService(db: Db, access: AccessService, store: DocStore): FileService {
  const findById = async (projectId: string, fileId: string) => {
    const [row] = await db
      .select()
      .from(files)
      .where(and(eq(files.id, fileId), eq(files.projectId, projectId)))
    if (!row) throw new AppError(ErrorCode.NotFound, 'No such file in this project')
    return row
  }
  return {
    async create(userId, { projectId, path, content }) {
      await access.require(userId, projectId, Role.Editor)
      return db.transaction(async (tx) => {
        // First: it also holds the project's lock, so the count below can't be raced past either.
        await assertPathFree(tx, { projectId, path })
        const [{ n } = { n: 0 }] = await tx
          .select({ n: count() })
          .from(files)
          .where(eq(files.projectId, projectId))
        if (n >= MAX_FILES_PER_PROJECT) {
          throw new AppError(ErrorCode.BadRequest, `A project holds at most ${MAX_FILES_PER_PROJECT} files`)
        }
        const [row] = await tx.insert(files).values({ projectId, path }).returning()
        const info = toInfo(row!)
        // Seeded here, once, on the server: a client never seeds (that duplicates text when two clients race).
        await tx
          .insert(documentSnapshots)
          .values({ docName: info.docName, state: DocStore.initialState(content ?? '') })
        return info
      })
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
    async rename(userId, { projectId, fileId, path }) {
      await access.require(userId, projectId, Role.Editor)
      await findById(projectId, fileId)
      return db.transaction(async (tx) => {
        await assertPathFree(tx, { projectId, path, exceptId: fileId })
        const [row] = await tx
          .update(files)
          .set({ path, updatedAt: new Date() })
          .where(eq(files.id, fileId))
          .returning()
        return toInfo(row!)
      })
    },
    async delete(userId, { projectId, fileId }) {
      await access.require(userId, projectId, Role.Editor)
      const row = await findById(projectId, fileId)
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
