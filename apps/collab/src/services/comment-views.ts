import { asc, inArray } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { files, reviewComments, users, type CommentStatus } from '@mimiverse/db/schema'
import { docNameFor } from '@mimiverse/shared'
import { resolveAnchor, type AnchorRange } from './comment-anchors'
import type { LiveEditor } from './history'

type Row = typeof reviewComments.$inferSelect

/** A member as comments show them. */
export interface Person {
  id: string
  name: string
}

/** One comment as the API returns it. A deleted first comment keeps its place with an empty body. */
export interface CommentView {
  id: string
  /** The thread's first comment; null for the first comment itself. */
  threadId: string | null
  author: Person
  body: string
  createdAt: Date
  editedAt: Date | null
  deleted: boolean
}

/** A thread: its first comment, where it is anchored, its state and its replies (oldest first). */
export interface ThreadView extends CommentView {
  projectId: string
  fileId: string
  path: string
  docName: string
  status: CommentStatus
  resolvedBy: Person | null
  resolvedAt: Date | null
  /** The commented code when the thread was started. */
  quote: string
  /** The encoded Yjs relative positions (base64) of the range's ends, for clients holding the document. */
  anchor: { from: string; to: string }
  /** Where the range is in the live file now; null when its code was deleted (`outdated`). */
  range: AnchorRange | null
  outdated: boolean
  replies: CommentView[]
}

const base64 = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('base64') : '')

/** Builds the API's views of comment rows: names, paths, replies, and anchors resolved in the live files. */
export class CommentViews {
  constructor(private readonly db: Db) {}

  async comments(rows: Row[]): Promise<CommentView[]> {
    const names = await this.names(rows.flatMap((r) => [r.authorId, r.resolvedBy]))
    return rows.map((r) => this.comment(r, names))
  }

  async threads(roots: Row[], live: LiveEditor): Promise<ThreadView[]> {
    if (roots.length === 0) return []
    const ids = roots.map((r) => r.id)
    const fileIds = [...new Set(roots.map((r) => r.fileId))]
    const [replies, paths] = await Promise.all([
      this.db
        .select()
        .from(reviewComments)
        .where(inArray(reviewComments.threadId, ids))
        .orderBy(asc(reviewComments.createdAt)),
      this.db.select({ id: files.id, path: files.path }).from(files).where(inArray(files.id, fileIds)),
    ])
    const names = await this.names([...roots, ...replies].flatMap((r) => [r.authorId, r.resolvedBy]))
    const ranges = await this.ranges(roots, live)
    const pathOf = new Map(paths.map((p) => [p.id, p.path]))
    return roots.map((r) => {
      const range = ranges.get(r.id) ?? null
      return {
        ...this.comment(r, names),
        projectId: r.projectId,
        fileId: r.fileId,
        path: pathOf.get(r.fileId) ?? '',
        docName: docNameFor(r.projectId, r.fileId),
        status: r.status,
        resolvedBy: r.resolvedBy ? { id: r.resolvedBy, name: names.get(r.resolvedBy) ?? 'someone' } : null,
        resolvedAt: r.resolvedAt,
        quote: r.quote ?? '',
        anchor: { from: base64(r.anchorFrom), to: base64(r.anchorTo) },
        range,
        outdated: range === null,
        replies: replies.filter((c) => c.threadId === r.id).map((c) => this.comment(c, names)),
      }
    })
  }

  /** Resolves each thread's anchor in its file's live document, one document at a time. */
  private async ranges(roots: Row[], live: LiveEditor): Promise<Map<string, AnchorRange | null>> {
    const out = new Map<string, AnchorRange | null>()
    for (const fileId of new Set(roots.map((r) => r.fileId))) {
      const mine = roots.filter((r) => r.fileId === fileId)
      await live.withDocument(docNameFor(mine[0]!.projectId, fileId), (doc) => {
        for (const r of mine) {
          out.set(r.id, r.anchorFrom && r.anchorTo ? resolveAnchor(doc, r.anchorFrom, r.anchorTo) : null)
        }
      })
    }
    return out
  }

  private comment(r: Row, names: Map<string, string>): CommentView {
    return {
      id: r.id,
      threadId: r.threadId,
      author: { id: r.authorId, name: names.get(r.authorId) ?? 'someone' },
      body: r.body,
      createdAt: r.createdAt,
      editedAt: r.editedAt,
      deleted: r.deletedAt !== null,
    }
  }

  private async names(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
    if (wanted.length === 0) return new Map()
    const rows = await this.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, wanted))
    return new Map(rows.map((r) => [r.id, r.name]))
  }
}
