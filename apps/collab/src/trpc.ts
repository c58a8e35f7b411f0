import { initTRPC, TRPCError } from '@trpc/server'
import { formatError, handleProcedureError, type ApiMeta } from '@mimiverse/server-kit'
import type { Context } from './context'

/** The one tRPC instance of the workspace API. Plain JSON on the wire: no transformer. */
const t = initTRPC.context<Context>().meta<ApiMeta>().create({ isDev: false, errorFormatter: formatError })

/**
 * Maps our AppError codes to tRPC errors (and so HTTP statuses), and counts each result against its request's
 * response bound. Unexpected errors are logged by the HTTP handler.
 */
const errors = t.middleware(async ({ ctx, next }) => {
  const result = await next()
  if (!result.ok) handleProcedureError(result.error)
  else ctx.responseBudget.charge(result.data)
  return result
})

export const router = t.router
export const publicProcedure = t.procedure.use(errors)

/** A procedure that needs a signed-in user (session cookie or `Authorization: Bearer`). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.sessionToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
  return next({ ctx: { ...ctx, user: ctx.user, sessionToken: ctx.sessionToken } })
})
