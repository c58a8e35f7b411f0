import {
  commentInput,
  createCommentInput,
  inboxInput,
  listCommentsInput,
  markReadInput,
  replyCommentInput,
  threadInput,
  updateCommentInput,
} from '@mimiverse/shared'
import { CommentStatus } from '@mimiverse/db/schema'
import { authedProcedure, router } from '../trpc'

/**
 * Review comments: any member (reviewers included) lists, starts and answers threads, resolves and reopens
 * them; only a comment's author edits or deletes it. `inbox` lists the caller's mentions. Changes reach every
 * open client live (a stateless message on the project's documents, see `services/comments.ts`).
 */
export const commentsRouter = router({
  list: authedProcedure
    .input(listCommentsInput)
    .query(({ ctx, input }) => ctx.services.comments.list(ctx.user.id, input, ctx.live)),
  create: authedProcedure
    .input(createCommentInput)
    .mutation(({ ctx, input }) => ctx.services.comments.create(ctx.user.id, input, ctx.live)),
  reply: authedProcedure
    .input(replyCommentInput)
    .mutation(({ ctx, input }) => ctx.services.comments.reply(ctx.user.id, input, ctx.live)),
  update: authedProcedure
    .input(updateCommentInput)
    .mutation(({ ctx, input }) => ctx.services.comments.update(ctx.user.id, input, ctx.live)),
  delete: authedProcedure
    .input(commentInput)
    .mutation(({ ctx, input }) => ctx.services.comments.delete(ctx.user.id, input, ctx.live)),
  resolve: authedProcedure
    .input(threadInput)
    .mutation(({ ctx, input }) =>
      ctx.services.comments.setStatus(ctx.user.id, input, CommentStatus.Resolved, ctx.live),
    ),
  reopen: authedProcedure
    .input(threadInput)
    .mutation(({ ctx, input }) =>
      ctx.services.comments.setStatus(ctx.user.id, input, CommentStatus.Open, ctx.live),
    ),
  inbox: authedProcedure
    .input(inboxInput)
    .query(({ ctx, input }) => ctx.services.comments.mentions.inbox(ctx.user.id, input)),
  markRead: authedProcedure
    .input(markReadInput)
    .mutation(({ ctx, input }) => ctx.services.comments.mentions.markRead(ctx.user.id, input.mentionIds)),
})
