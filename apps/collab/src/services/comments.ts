import { and, count, desc, eq, isNull, or, type SQL } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { CommentStatus, files, reviewComments } from '@mimiverse/db/schema'
import {
  AppError,
  docNameFor,
  ErrorCode,
  MAX_PROJECT_COMMENTS,
  MAX_THREAD_COMMENTS,
  Role,
  type ProjectEvent,
  COMMENTS_EVENT,
} from '@mimiverse/shared'
import type { AccessService } from './access'
import { anchorOf, type PositionInput } from './comment-anchors'
import { CommentViews, type ThreadView, type CommentView } from './comment-views'
import type { LiveEditor } from './history'
import { Mentions } from './mentions-store'

/** What comment procedures need of the live collaboration server. */
export interface LiveComments extends LiveEditor {
  /**
   * Tells every client with a document of the project open, on every node (every open IDE of the project holds
   * its events document), that something changed: a thread, the file list, a colour.
   */
  notify(projectId: string, event: ProjectEvent): void
}

type Row = typeof reviewComments.$inferSelect

/** How many threads `list` returns at most (newest first). */
export const MAX_LISTED_THREADS = 500

/**
 * Review comments, for the workspace API. Every member comments, reviewers included (a comment is not an edit
 * of the code: their document updates are still refused by the collab server); members change and delete only
 * their own comments; any member resolves and reopens a thread. Each change is announced live to the project.
 */
export class CommentService {
  private readonly views: CommentViews
  readonly mentions: Mentions

  constructor(private readonly deps: { db: Db; access: AccessService }) {
    this.views = new CommentViews(deps.db)
    this.mentions = new Mentions(deps.db, deps.access)
  }

  async list(
    userId: string,
    input: {
      projectId: string
      path?: string | undefined
      status?: CommentStatus | undefined
      author?: string | undefined
    },
    live: LiveEditor,
  ): Promise<ThreadView[]> {
    await this.deps.access.require(userId, input.projectId, Role.Reviewer)
    const where: SQL[] = [eq(reviewComments.projectId, input.projectId), isNull(reviewComments.threadId)]
    if (input.path !== undefined)
      where.push(eq(reviewComments.fileId, await this.fileId(input.projectId, input.path)))
    if (input.status) where.push(eq(reviewComments.status, input.status))
    if (input.author) where.push(eq(reviewComments.authorId, input.author))
    const roots = await this.deps.db
      .select()
      .from(reviewComments)
      .where(and(...where))
      .orderBy(desc(reviewComments.createdAt))
      .limit(MAX_LISTED_THREADS)
    return this.views.threads(roots, live)
  }

  async create(
    userId: string,
    input: { projectId: string; path: string; from: PositionInput; to: PositionInput; body: string },
    live: LiveComments,
  ): Promise<ThreadView> {
    await this.deps.access.require(userId, input.projectId, Role.Reviewer)
    const fileId = await this.fileId(input.projectId, input.path)
    await this.bound(eq(reviewComments.projectId, input.projectId), MAX_PROJECT_COMMENTS, 'A project holds')
    const anchor = await live.withDocument(docNameFor(input.projectId, fileId), (doc) =>
      anchorOf(doc, input.from, input.to),
    )
    const [root] = await this.deps.db
      .insert(reviewComments)
      .values({
        projectId: input.projectId,
        fileId,
        authorId: userId,
        body: input.body,
        anchorFrom: anchor.from,
        anchorTo: anchor.to,
        quote: anchor.quote,
      })
      .returning()
    await this.mentions.record(root!, userId)
    this.announce(live, root!)
    const [view] = await this.views.threads([root!], live)
    return view!
  }

  async reply(
    userId: string,
    input: { threadId?: string | undefined; commentId?: string | undefined; body: string },
    live: LiveComments,
  ): Promise<CommentView> {
    const root = await this.threadOf(userId, input)
    await this.bound(eq(reviewComments.projectId, root.projectId), MAX_PROJECT_COMMENTS, 'A project holds')
    const inThread = or(eq(reviewComments.id, root.id), eq(reviewComments.threadId, root.id))!
    await this.bound(inThread, MAX_THREAD_COMMENTS, 'A thread holds')
    const [reply] = await this.deps.db
      .insert(reviewComments)
      .values({
        projectId: root.projectId,
        fileId: root.fileId,
        threadId: root.id,
        authorId: userId,
        body: input.body,
      })
      .returning()
    await this.mentions.record(reply!, userId)
    this.announce(live, root)
    return (await this.views.comments([reply!]))[0]!
  }

  async update(
    userId: string,
    input: { commentId: string; body: string },
    live: LiveComments,
  ): Promise<CommentView> {
    const comment = await this.own(userId, input.commentId)
    const [updated] = await this.deps.db
      .update(reviewComments)
      .set({ body: input.body, editedAt: new Date() })
      .where(eq(reviewComments.id, comment.id))
      .returning()
    await this.mentions.record(updated!, userId)
    this.announce(live, updated!)
    return (await this.views.comments([updated!]))[0]!
  }

  /**
   * Deletes one's own comment. A thread's first comment that has replies keeps its place (body emptied,
   * `deleted` set) so the others' replies stay; otherwise the row goes, and with a first comment its thread.
   */
  async delete(userId: string, input: { commentId: string }, live: LiveComments): Promise<{ deleted: true }> {
    const comment = await this.own(userId, input.commentId)
    const [replies] = comment.threadId
      ? [{ n: 0 }]
      : await this.deps.db
          .select({ n: count() })
          .from(reviewComments)
          .where(eq(reviewComments.threadId, comment.id))
    if ((replies?.n ?? 0) > 0) {
      await this.deps.db
        .update(reviewComments)
        .set({ body: '', deletedAt: new Date() })
        .where(eq(reviewComments.id, comment.id))
    } else {
      await this.deps.db.delete(reviewComments).where(eq(reviewComments.id, comment.id))
    }
    this.announce(live, comment)
    return { deleted: true }
  }

  async setStatus(
    userId: string,
    input: { threadId?: string | undefined; commentId?: string | undefined },
    status: CommentStatus,
    live: LiveComments,
  ): Promise<ThreadView> {
    const root = await this.threadOf(userId, input)
    const resolved = status === CommentStatus.Resolved
    const [updated] = await this.deps.db
      .update(reviewComments)
      .set({ status, resolvedBy: resolved ? userId : null, resolvedAt: resolved ? new Date() : null })
      .where(eq(reviewComments.id, root.id))
      .returning()
    this.announce(live, root)
    const [view] = await this.views.threads([updated!], live)
    return view!
  }

  private announce(live: LiveComments, comment: Row): void {
    const threadId = comment.threadId ?? comment.id
    live.notify(comment.projectId, { type: COMMENTS_EVENT, projectId: comment.projectId, threadId })
  }

  /** The first comment of the thread `ref` names, after checking the caller is a member of its project. */
  private async threadOf(
    userId: string,
    ref: { threadId?: string | undefined; commentId?: string | undefined },
  ) {
    const comment = await this.find(ref.threadId ?? ref.commentId ?? '')
    await this.deps.access.require(userId, comment.projectId, Role.Reviewer)
    return comment.threadId ? await this.find(comment.threadId) : comment
  }

  /** The caller's own, not deleted, comment; FORBIDDEN for someone else's. */
  private async own(userId: string, commentId: string): Promise<Row> {
    const comment = await this.find(commentId)
    await this.deps.access.require(userId, comment.projectId, Role.Reviewer)
    if (comment.authorId !== userId)
      throw new AppError(ErrorCode.Forbidden, 'You can only change your own comments')
    if (comment.deletedAt) throw new AppError(ErrorCode.NotFound, 'This comment was deleted')
    return comment
  }

  private async find(id: string): Promise<Row> {
    const [row] = await this.deps.db.select().from(reviewComments).where(eq(reviewComments.id, id))
    if (!row) throw new AppError(ErrorCode.NotFound, 'No such comment')
    return row
  }

  private async fileId(projectId: string, path: string): Promise<string> {
    const [row] = await this.deps.db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.projectId, projectId), eq(files.path, path)))
    if (!row) throw new AppError(ErrorCode.NotFound, `No file "${path}" in this project`)
    return row.id
  }

  private async bound(where: SQL, max: number, what: string): Promise<void> {
    const [row] = await this.deps.db.select({ n: count() }).from(reviewComments).where(where)
    if ((row?.n ?? 0) >= max) throw new AppError(ErrorCode.BadRequest, `${what} at most ${max} comments`)
  }
}
