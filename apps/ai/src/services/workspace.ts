import { and, asc, eq, gt } from 'drizzle-orm'
import {
  findRole,
  findSessionUser,
  readDocumentText,
  type Db,
  type ReadOptions,
  type SessionUser,
} from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { files } from '@mimiverse/db/schema'
import { AppError, ErrorCode, docNameFor, parseDocName, type Role } from '@mimiverse/shared'

/**
 * What the AI service needs from the workspace: who the caller is (the same sessions as the workspace API),
 * whether they are a member of the project, and the current text of the project's files.
 */
export interface Workspace {
  userForToken(token: string): Promise<SessionUser | null>
  /** The user's role in the project, or `null` when they are not a member. */
  roleOf(userId: string, projectId: string): Promise<Role | null>
  /** Throws FORBIDDEN unless the user is a member of the project (any role); returns the role. */
  requireMember(userId: string, projectId: string): Promise<Role>
  /** The project a document belongs to; BAD_REQUEST for a name that is not one of ours. */
  projectOf(docName: string): string
  /** A file of the project by path, with its current text; `null` when there is no such file. */
  readFile(projectId: string, path: string): Promise<{ path: string; docName: string; text: string } | null>
  /** A file of the project by path (no text), or `null`. */
  fileByPath(projectId: string, path: string): Promise<{ fileId: string; docName: string } | null>
  /** The project's file paths in order, at most `limit`; with `after`, only the paths that sort after it. */
  listPaths(projectId: string, limit: number, after?: string): Promise<string[]>
  /** The path of the file behind a document, or `null`. */
  pathOf(docName: string): Promise<string | null>
  readText(docName: string): Promise<string>
}

/** The role, or FORBIDDEN for a non-member (`null`). */
export function memberRole(role: Role | null): Role {
  if (!role) throw new AppError(ErrorCode.Forbidden, 'You are not a member of this project')
  return role
}

/**
 * How the AI service reads documents: it only reads, so a stored update that cannot be applied is left out and
 * logged (the collab server moves it to quarantine when it next replays the document).
 */
export function loggedReads(log: Logger): ReadOptions {
  return {
    onSkipped: (doc, skipped) =>
      log.warn('stored updates that cannot be applied were left out of a document', {
        doc,
        seqs: skipped.map((s) => s.seq ?? 'snapshot'),
      }),
  }
}

export function createWorkspace(db: Db, log: Logger): Workspace {
  const read = loggedReads(log)
  return {
    userForToken: (token) => findSessionUser(db, token),
    roleOf: (userId, projectId) => findRole(db, userId, projectId),
    requireMember: async (userId, projectId) => memberRole(await findRole(db, userId, projectId)),
    projectOf(docName) {
      const parsed = parseDocName(docName)
      if (!parsed) throw new AppError(ErrorCode.BadRequest, 'docName: not a document name')
      return parsed.projectId
    },
    async readFile(projectId, path) {
      const [row] = await db
        .select({ id: files.id, path: files.path })
        .from(files)
        .where(and(eq(files.projectId, projectId), eq(files.path, path)))
      if (!row) return null
      const docName = docNameFor(projectId, row.id)
      return { path: row.path, docName, text: await readDocumentText(db, docName, read) }
    },
    async fileByPath(projectId, path) {
      const [row] = await db
        .select({ id: files.id })
        .from(files)
        .where(and(eq(files.projectId, projectId), eq(files.path, path)))
      return row ? { fileId: row.id, docName: docNameFor(projectId, row.id) } : null
    },
    async listPaths(projectId, limit, after) {
      const rows = await db
        .select({ path: files.path })
        .from(files)
        .where(and(eq(files.projectId, projectId), after === undefined ? undefined : gt(files.path, after)))
        .orderBy(asc(files.path))
        .limit(limit)
      return rows.map((r) => r.path)
    },
    async pathOf(docName) {
      const parsed = parseDocName(docName)
      if (!parsed) return null
      const [row] = await db
        .select({ path: files.path })
        .from(files)
        .where(and(eq(files.projectId, parsed.projectId), eq(files.id, parsed.fileId)))
      return row?.path ?? null
    },
    readText: (docName) => readDocumentText(db, docName, read),
  }
}
