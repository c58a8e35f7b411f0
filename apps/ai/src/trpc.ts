import { initTRPC, TRPCError } from '@trpc/server'
import { formatError, handleProcedureError, toTRPCError, type ApiMeta } from '@mimiverse/server-kit'
import type { Context } from './context'

/**
 * The one tRPC instance of the AI service. Plain JSON on the wire: no transformer. Errors are mapped as in the
 * workspace API (both use @mimiverse/server-kit): AppError codes map to tRPC codes, zod issues become one
 * readable line, and clients never see stack traces or the text of unexpected errors.
 */
const t = initTRPC.context<Context>().meta<ApiMeta>().create({ isDev: false, errorFormatter: formatError })

/**
 * Maps errors thrown inside a streamed answer the same way as the middleware maps thrown ones: once a stream
 * has started, its errors travel in the stream and no middleware sees them.
 */
export async function* mapStreamErrors<T>(stream: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* stream
  } catch (e: unknown) {
    throw toTRPCError(e)
  }
}

/**
 * Maps our AppError codes to tRPC errors (and so HTTP statuses), and counts each result against its request's
 * response bound (HTTP requests only). Unexpected errors are logged by the HTTP handler.
 */
const errors = t.middleware(async ({ ctx, next }) => {
  const result = await next()
  if (!result.ok) handleProcedureError(result.error)
  else ctx.responseBudget?.charge(result.data)
  return result
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure.use(errors)

/** A procedure that needs a signed-in user (session cookie or `Authorization: Bearer`). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
  return next({ ctx: { ...ctx, user: ctx.user } })
})
