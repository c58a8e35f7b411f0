import { and, count, eq, inArray, max } from 'drizzle-orm'
import * as Y from 'yjs'
import { AppError, CONTENT_FIELD, docNameFor, ErrorCode } from '@mimiverse/shared'
import type { Db } from '../client'
import { documentSnapshots, files } from '../schema/documents'
import { EMPTY_UPDATE, removeDocument } from './compaction'
import { assertPathFree } from './path-clash'

/**
 * The file tree's writes, shared by the workspace API (a person's create/rename/delete) and the AI agent (its
 * file tools), so both apply the same rules: a bounded number of files per project, no path that clashes with
 * another file or folder nor differs from one only in case (`path-clash.ts`), a new document seeded once on the
 * server. Paths are validated by the callers with
 * `filePathSchema` (packages/shared); who may write is the callers' check too.
 */

/** Most files one project may hold; bounds the file tree and the search index. */
export const MAX_FILES_PER_PROJECT = 20_000

export interface FileRow {
  id: string
  projectId: string
  path: string
  updatedAt: Date
}

/** The stored state of a new document holding `text` (empty text: the empty update). */
export function initialDocumentState(text: string): Uint8Array {
  if (text.length === 0) return EMPTY_UPDATE
  const doc = new Y.Doc()
  doc.getText(CONTENT_FIELD).insert(0, text)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}

/** Creates a file with its document seeded with `content`, in one transaction. */
export async function insertFile(
  db: Db,
  input: { projectId: string; path: string; content?: string },
): Promise<FileRow> {
  const { projectId, path } = input
  return db.transaction(async (tx) => {
    // First: it also takes the project's lock, so neither the count below nor a case twin can be raced past.
    await assertPathFree(tx, { projectId, path })
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(files)
      .where(eq(files.projectId, projectId))
    if (n >= MAX_FILES_PER_PROJECT) {
      throw new AppError(ErrorCode.BadRequest, `A project holds at most ${MAX_FILES_PER_PROJECT} files`)
    }
    const [row] = await tx.insert(files).values({ projectId, path }).returning()
    // Seeded here, once, on the server: a client never seeds (that duplicates text when two clients race).
    await tx
      .insert(documentSnapshots)
      .values({ docName: docNameFor(projectId, row!.id), state: initialDocumentState(input.content ?? '') })
    return row!
  })
}

/** The file `fileId` of the project; NOT_FOUND otherwise. */
export async function findFile(db: Db, projectId: string, fileId: string): Promise<FileRow> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.projectId, projectId)))
  if (!row) throw new AppError(ErrorCode.NotFound, 'No such file in this project')
  return row
}

/** Moves a file to `path` (its document, named by id, stays the same). */
export async function renameFile(
  db: Db,
  input: { projectId: string; fileId: string; path: string },
): Promise<FileRow> {
  await findFile(db, input.projectId, input.fileId)
  return db.transaction(async (tx) => {
    await assertPathFree(tx, { projectId: input.projectId, path: input.path, exceptId: input.fileId })
    const [row] = await tx
      .update(files)
      .set({ path: input.path, updatedAt: new Date() })
      .where(eq(files.id, input.fileId))
      .returning()
    return row!
  })
}

/** Deletes a file and its stored document in one transaction. */
export async function deleteFile(db: Db, input: { projectId: string; fileId: string }): Promise<void> {
  const row = await findFile(db, input.projectId, input.fileId)
  await db.transaction(async (tx) => {
    await tx.delete(files).where(eq(files.id, row.id))
    await removeDocument(tx, docNameFor(input.projectId, row.id))
  })
}

/**
 * A stamp of each project's file list: how many files and the latest creation or rename. It changes whenever a
 * file is created, renamed or deleted, by whichever process wrote the row. Projects with no file are left out.
 */
export async function fileListStamps(db: Db, projectIds: string[]): Promise<Map<string, string>> {
  if (projectIds.length === 0) return new Map()
  const rows = await db
    .select({ projectId: files.projectId, n: count(), latest: max(files.updatedAt) })
    .from(files)
    .where(inArray(files.projectId, projectIds))
    .groupBy(files.projectId)
  return new Map(rows.map((r) => [r.projectId, `${r.n} ${r.latest?.toISOString() ?? ''}`]))
}
