import { z } from 'zod'
import { filePathSchema } from './file-path'
import { idSchema } from './schemas'

/** Longest comment body, in characters. Bodies are plain text: clients render them as text, never as HTML. */
export const MAX_COMMENT_CHARS = 10_000
/** Most comments (threads and replies) a project holds. */
export const MAX_PROJECT_COMMENTS = 10_000
/** Most comments in one thread, its first comment included. */
export const MAX_THREAD_COMMENTS = 200
/** Longest quote of the commented code kept with a thread, in characters (a longer selection is cut). */
export const MAX_COMMENT_QUOTE_CHARS = 2_000

/**
 * The stateless message (Hocuspocus) the collab server sends to every open document of a project when one of
 * its comments changes, so clients read the list again without polling: `{"type": COMMENTS_EVENT, projectId,
 * threadId}`.
 */
export const COMMENTS_EVENT = 'mimi.comments'
export interface CommentsEvent {
  type: typeof COMMENTS_EVENT
  projectId: string
  threadId: string
}

const body = z.string().trim().min(1, 'comment is empty').max(MAX_COMMENT_CHARS)
/** A text index of the file, or an encoded Yjs relative position (`Y.encodeRelativePosition`) as base64. */
const position = z.union([
  z.number().int().min(0),
  z.base64().min(4).max(256, 'relative position is too long'),
])

export const commentStatusSchema = z.enum(['open', 'resolved'])

export const listCommentsInput = z.object({
  projectId: idSchema,
  path: filePathSchema.optional(),
  status: commentStatusSchema.optional(),
  /** Threads started by this member. */
  author: idSchema.optional(),
})
export const createCommentInput = z.object({
  projectId: idSchema,
  path: filePathSchema,
  from: position,
  to: position,
  body,
})
/** A thread, named by its id (`threadId`) or by any of its comments (`commentId`). */
const threadRef = z.object({ threadId: idSchema.optional(), commentId: idSchema.optional() })
const oneRef = (v: { threadId?: string | undefined; commentId?: string | undefined }) =>
  (v.threadId === undefined) !== (v.commentId === undefined)
const refMessage = { message: 'name the thread: threadId or commentId (one of them)' }
export const replyCommentInput = threadRef.extend({ body }).refine(oneRef, refMessage)
export const threadInput = threadRef.refine(oneRef, refMessage)
export const updateCommentInput = z.object({ commentId: idSchema, body })
export const commentInput = z.object({ commentId: idSchema })
export const inboxInput = z.object({ projectId: idSchema.optional(), unreadOnly: z.boolean().optional() })
export const markReadInput = z.object({ mentionIds: z.array(idSchema).min(1).max(500) })
