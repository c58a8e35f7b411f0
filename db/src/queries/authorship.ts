import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import { docNameFor } from '@mimiverse/shared'
import type { Db } from '../client'
import { users } from '../schema/accounts'
import { files } from '../schema/documents'
import { documentAuthors, documentEdits, type AuthorKind } from '../schema/history'
import { removeVersions } from './versions'

/** An author of document content, as the collab server authenticated it. */
export interface Author {
  kind: AuthorKind
  /** The member; for an agent run or an outside tool, the member it acts for. Null for the mirror and server. */
  userId: string | null
  /** The agent run (kind `agent`), else null. */
  runId: string | null
}

/** A Yjs client id first seen on a connection of `author`. */
export interface ClientAuthor extends Author {
  docName: string
  clientId: number
}

/** Items `(clientId, clockFrom ..< clockTo)` an author added (and what they deleted) between two times. */
export interface EditRange extends Author {
  docName: string
  clientId: number
  clockFrom: number
  clockTo: number
  /** An encoded Yjs snapshot with an empty state vector: its delete set is what the author deleted. */
  deletes: Uint8Array | null
  firstAt: Date
  lastAt: Date
}

/** Records client ids of authors; an id already recorded keeps its first author. */
export async function recordClientAuthors(db: Db, rows: ClientAuthor[]): Promise<void> {
  if (rows.length === 0) return
  await db.insert(documentAuthors).values(rows).onConflictDoNothing()
}

/** Appends edit ranges (the collab server merges a connection's consecutive updates before). */
export async function recordEdits(db: Db, rows: EditRange[]): Promise<void> {
  if (rows.length === 0) return
  await db.insert(documentEdits).values(rows)
}

/** Every client id of a document with its first author. */
export async function clientAuthorsOf(db: Db, docName: string): Promise<ClientAuthor[]> {
  return db.select().from(documentAuthors).where(eq(documentAuthors.docName, docName))
}

/** A document's edit ranges, optionally only those touching `[from, to]`, oldest first. */
export async function editsOf(
  db: Db,
  docName: string,
  range: { from?: Date; to?: Date } = {},
): Promise<EditRange[]> {
  return db
    .select({
      docName: documentEdits.docName,
      clientId: documentEdits.clientId,
      clockFrom: documentEdits.clockFrom,
      clockTo: documentEdits.clockTo,
      deletes: documentEdits.deletes,
      kind: documentEdits.kind,
      userId: documentEdits.userId,
      runId: documentEdits.runId,
      firstAt: documentEdits.firstAt,
      lastAt: documentEdits.lastAt,
    })
    .from(documentEdits)
    .where(
      and(
        eq(documentEdits.docName, docName),
        range.from ? gte(documentEdits.lastAt, range.from) : undefined,
        range.to ? lte(documentEdits.firstAt, range.to) : undefined,
      ),
    )
    .orderBy(asc(documentEdits.id))
}

/** An author of a document and the span of their edits. */
export interface DocumentAuthor extends Author {
  firstAt: Date
  lastAt: Date
  /** Edit rows (roughly: bursts of typing) this author has in the document since `since`. */
  edits: number
}

/**
 * Who wrote in a document (optionally since a time), from the edit ranges the collab server recorded on
 * authenticated connections: for commit trailers (Co-authored-by) and the history panel. Oldest author first.
 */
export async function authorsOf(db: Db, docName: string, since?: Date): Promise<DocumentAuthor[]> {
  const rows = await db
    .select({
      kind: documentEdits.kind,
      userId: documentEdits.userId,
      runId: documentEdits.runId,
      firstAt: sql<Date>`min(${documentEdits.firstAt})`.mapWith(toDate),
      lastAt: sql<Date>`max(${documentEdits.lastAt})`.mapWith(toDate),
      edits: sql<number>`count(*)`.mapWith(Number),
    })
    .from(documentEdits)
    .where(and(eq(documentEdits.docName, docName), since ? gte(documentEdits.lastAt, since) : undefined))
    .groupBy(documentEdits.kind, documentEdits.userId, documentEdits.runId)
  return rows.sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime())
}

/** An author of some files of a project, with the account they are or act for (null for the mirror, the server). */
export interface FilesAuthor extends Author {
  name: string | null
  email: string | null
  firstAt: Date
}

/** Paths per query: bounds the size of one statement's parameter list. */
const PATHS_PER_QUERY = 1000

/**
 * Who edited any of a project's files at `paths` since `since` (all their history without it), as the collab
 * server recorded it on authenticated connections: the co-authors of a commit of those files. One row per
 * author (kind, member, run), oldest first; paths that are no project file are skipped.
 */
export async function authorsOfFiles(
  db: Db,
  projectId: string,
  paths: string[],
  since?: Date,
): Promise<FilesAuthor[]> {
  const byKey = new Map<string, FilesAuthor>()
  for (let at = 0; at < paths.length; at += PATHS_PER_QUERY) {
    const chunk = paths.slice(at, at + PATHS_PER_QUERY)
    const ids = await db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.projectId, projectId), inArray(files.path, chunk)))
    if (ids.length === 0) continue
    const rows = await db
      .select({
        kind: documentEdits.kind,
        userId: documentEdits.userId,
        runId: documentEdits.runId,
        name: users.name,
        email: users.email,
        firstAt: sql<Date>`min(${documentEdits.firstAt})`.mapWith(toDate),
      })
      .from(documentEdits)
      .leftJoin(users, sql`${users.id}::text = ${documentEdits.userId}`)
      .where(
        and(
          inArray(
            documentEdits.docName,
            ids.map((f) => docNameFor(projectId, f.id)),
          ),
          since ? gte(documentEdits.lastAt, since) : undefined,
        ),
      )
      .groupBy(documentEdits.kind, documentEdits.userId, documentEdits.runId, users.name, users.email)
    for (const row of rows) {
      const key = `${row.kind} ${row.userId ?? ''} ${row.runId ?? ''}`
      const seen = byKey.get(key)
      if (!seen || row.firstAt < seen.firstAt) byKey.set(key, row)
    }
  }
  return [...byKey.values()].sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime())
}

/** Forgets a deleted document's authorship and versions. */
export async function removeAuthorship(db: Db, docName: string): Promise<void> {
  await db.delete(documentEdits).where(eq(documentEdits.docName, docName))
  await db.delete(documentAuthors).where(eq(documentAuthors.docName, docName))
  await removeVersions(db, docName)
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v))
}
