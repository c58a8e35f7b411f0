import { AppError, ErrorCode } from '@mimiverse/shared'
import { chatInput, completeInput, embedInput } from '../schemas'
import { buildChatContext, type ChatContext } from '../services/chat-context'
import type { ChatEvent } from '../services/chat'
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

export const aiRouter = router({
  /**
   * A streamed answer. A mutation (POST, so long conversations fit) whose result is an async iterable: read it
   * with `httpBatchStreamLink`; events arrive as the model produces them. Fails before streaming when no
   * chat model is reachable.
   */
  chat: authedProcedure.input(chatInput).mutation(async ({ ctx, input, signal }) => {
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
  /** Inline completion at the cursor of a document (fill-in-the-middle). */
  complete: authedProcedure.input(completeInput).mutation(async ({ ctx, input, signal }) => {
    const { services } = ctx
    await limited(services.limits.complete, services.metrics, 'complete', ctx.user.id)
    const projectId = services.workspace.projectOf(input.docName)
    await services.workspace.requireMember(ctx.user.id, projectId)
    return services.completion.complete({ ...input, signal })
  }),
  /** Embeddings, for tools and tests; `model` names the model (and backend) that made the vectors. */
  embed: authedProcedure.input(embedInput).mutation(async ({ ctx, input, signal }) => {
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
