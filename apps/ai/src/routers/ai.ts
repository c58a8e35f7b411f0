import { AppError, ErrorCode, canWrite } from '@mimiverse/shared'
import { chatInput, completeInput, completionEventInput, completionStatsInput, embedInput } from '../schemas'
import { buildChatContext, type ChatContext } from '../services/chat-context'
import type { ChatEvent } from '../services/chat'
import { memberRole } from '../services/workspace'
import type { Context } from '../context'
import { authedProcedure, mapStreamErrors, router } from '../trpc'
import { limited } from './limited'

/** The first event of a chat stream: what was put into the prompt besides the conversation. */
export type ChatContextEvent = { type: 'context' } & Pick<ChatContext, 'files' | 'missing' | 'codebase'>

async function* withContext(
  context: ChatContext,
  stream: AsyncGenerator<ChatEvent>,
): AsyncGenerator<ChatContextEvent | ChatEvent> {
  yield { type: 'context', files: context.files, missing: context.missing, codebase: context.codebase }
  yield* stream
}

/**
 * The document's project, when the user may write to it (reviewers are read-only: no completions). The role is
 * read through the access cache: only the procedures in CACHED_ACCESS_PROCEDURES call this.
 */
async function requireWriter(services: Context['services'], userId: string, docName: string) {
  const projectId = services.workspace.projectOf(docName)
  const role = memberRole(await services.access.roleOf(userId, projectId))
  if (!canWrite(role)) throw new AppError(ErrorCode.Forbidden, 'Reviewers do not get inline completions')
  return projectId
}

export const aiRouter = router({
  /**
   * A streamed answer. A mutation (POST, so long conversations fit) whose result is an async iterable: read it
   * with `httpBatchStreamLink`; events arrive as the model produces them. Fails before streaming when no
   * chat model is reachable.
   */
  chat: authedProcedure
    .meta({ largeBody: true })
    .input(chatInput)
    .mutation(async ({ ctx, input, signal }) => {
      const { services } = ctx
      await limited(services.limits.chat, services.metrics, 'chat', ctx.user.id)
      await services.workspace.requireMember(ctx.user.id, input.projectId)
      if (input.docName && services.workspace.projectOf(input.docName) !== input.projectId) {
        throw new AppError(ErrorCode.BadRequest, 'docName: the document is not in this project')
      }
      const context = await buildChatContext(services.workspace, input, services.codebase)
      const stream = await services.chat.start([...context.system, ...input.messages], signal)
      return mapStreamErrors(withContext(context, stream))
    }),
  /**
   * Inline completion at the cursor of a document (fill-in-the-middle), with repository context from the other
   * open files, the recent edits sent and code search. For members who may write (reviewers get FORBIDDEN).
   */
  complete: authedProcedure
    .meta({ largeBody: true })
    .input(completeInput)
    .mutation(async ({ ctx, input, signal }) => {
      const { services } = ctx
      await limited(services.limits.complete, services.metrics, 'complete', ctx.user.id)
      const projectId = await requireWriter(services, ctx.user.id, input.docName)
      const context = () => services.completionSources.gather({ ...input, projectId })
      return services.completion.complete({ ...input, context, signal })
    }),
  /**
   * Records what happened to a shown completion (shown, accepted, dismissed), for `completionStats`; written in
   * the next batch (within a second).
   */
  completionEvent: authedProcedure.input(completionEventInput).mutation(async ({ ctx, input }) => {
    const { services } = ctx
    await limited(services.limits.completionEvents, services.metrics, 'completion-event', ctx.user.id)
    const projectId = await requireWriter(services, ctx.user.id, input.docName)
    services.completionEvents.record([{ ...input, projectId, userId: ctx.user.id }])
    return { recorded: true }
  }),
  /** Acceptance rate, counts and latency percentiles (ms) of the project's inline completions (members). */
  completionStats: authedProcedure.input(completionStatsInput).query(async ({ ctx, input }) => {
    await ctx.services.workspace.requireMember(ctx.user.id, input.projectId)
    return ctx.services.completionEvents.stats(input.projectId)
  }),
  /** Embeddings, for tools and tests; `model` names the model (and backend) that made the vectors. */
  embed: authedProcedure
    .meta({ largeBody: true })
    .input(embedInput)
    .mutation(async ({ ctx, input, signal }) => {
      await limited(ctx.services.limits.embed, ctx.services.metrics, 'embed', ctx.user.id)
      const { model, dimensions, vectors } = await ctx.services.embeddings.embed(input.texts, {
        kind: input.kind,
        signal,
      })
      return { model, dimensions, vectors }
    }),
  /** The configured model of each task, the backend serving it now, and its health. */
  models: authedProcedure.query(({ ctx }) => ctx.services.models()),
})
