import { and, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { commentMentions, files, memberships, projects, reviewComments, users } from '@mimiverse/db/schema'
import { Role } from '@mimiverse/shared'
import type { AccessService } from './access'
import { mentionedIn } from './mentions'

/** Most members one comment can mention (the rest are not notified). */
export const MAX_MENTIONS_PER_COMMENT = 20
/** How many mentions the inbox returns at most (newest first). */
export const MAX_INBOX = 200

/** A mention in the inbox of the member it names. */
export interface MentionView {
  id: string
  projectId: string
  projectName: string
  commentId: string
  threadId: string
  path: string
  author: { id: string; name: string }
  body: string
  createdAt: Date
  readAt: Date | null
}

/** Who a comment mentions (`@name` of a member), and each member's inbox of mentions. */
export class Mentions {
  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
  ) {}

  /** Records the members `comment` mentions, except its author; an edit adds only the newly mentioned. */
  async record(comment: typeof reviewComments.$inferSelect, authorId: string): Promise<void> {
    const members = await this.db
      .select({ id: users.id, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.projectId, comment.projectId), ne(memberships.userId, authorId)))
    const named = mentionedIn(comment.body, members).slice(0, MAX_MENTIONS_PER_COMMENT)
    if (named.length === 0) return
    await this.db
      .insert(commentMentions)
      .values(named.map((userId) => ({ commentId: comment.id, projectId: comment.projectId, userId })))
      .onConflictDoNothing()
  }

  /** The caller's mentions in projects they are still a member of, newest first. */
  async inbox(userId: string, input: { projectId?: string | undefined; unreadOnly?: boolean | undefined }) {
    if (input.projectId) await this.access.require(userId, input.projectId, Role.Reviewer)
    const where: SQL[] = [eq(commentMentions.userId, userId), isNull(reviewComments.deletedAt)]
    if (input.projectId) where.push(eq(commentMentions.projectId, input.projectId))
    if (input.unreadOnly) where.push(isNull(commentMentions.readAt))
    const rows = await this.db
      .select({
        id: commentMentions.id,
        projectId: commentMentions.projectId,
        projectName: projects.name,
        commentId: reviewComments.id,
        threadId: reviewComments.threadId,
        path: files.path,
        authorId: reviewComments.authorId,
        authorName: users.name,
        body: reviewComments.body,
        createdAt: commentMentions.createdAt,
        readAt: commentMentions.readAt,
      })
      .from(commentMentions)
      .innerJoin(reviewComments, eq(reviewComments.id, commentMentions.commentId))
      .innerJoin(files, eq(files.id, reviewComments.fileId))
      .innerJoin(projects, eq(projects.id, commentMentions.projectId))
      .innerJoin(users, eq(users.id, reviewComments.authorId))
      .innerJoin(
        memberships,
        and(eq(memberships.projectId, commentMentions.projectId), eq(memberships.userId, userId)),
      )
      .where(and(...where))
      .orderBy(desc(commentMentions.createdAt))
      .limit(MAX_INBOX)
    return rows.map(({ authorId, authorName, threadId, ...r }): MentionView => ({
      ...r,
      threadId: threadId ?? r.commentId,
      author: { id: authorId, name: authorName },
    }))
  }

  /** Marks the caller's own mentions among `ids` read; returns how many changed. */
  async markRead(userId: string, ids: string[]): Promise<{ marked: number }> {
    const rows = await this.db
      .update(commentMentions)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(commentMentions.userId, userId),
          inArray(commentMentions.id, ids),
          isNull(commentMentions.readAt),
        ),
      )
      .returning({ id: commentMentions.id })
    return { marked: rows.length }
  }
}
