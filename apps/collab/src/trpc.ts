import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { ZodError } from 'zod'
import { AppError, type ErrorCode } from '@mimiverse/shared'
import type { Context } from './context'

/** The one tRPC instance of the workspace API. Plain JSON on the wire: no transformer. */
const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const message = readableMessage(error)
    return {
      ...shape,
      message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
    }
  },
})

const trpcCodes: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
}

function readableMessage(error: TRPCError): string {
  if (error.cause instanceof ZodError) {
    return error.cause.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ')
  }
  // Unexpected errors are logged server-side; their text may hold internals, so clients get a generic line.
  if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError))
    return 'Internal server error'
  return error.message
}

/** Maps our AppError codes to tRPC errors (and so HTTP statuses); logs anything unexpected. */
const errors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next()
  if (result.ok) return result
  const cause = result.error.cause
  if (cause instanceof AppError)
    throw new TRPCError({ code: trpcCodes[cause.code], message: cause.message, cause })
  if (result.error.code === 'INTERNAL_SERVER_ERROR')
    ctx.log.error('procedure failed', { path, error: cause ?? result.error })
  return result
})

export const router = t.router
export const publicProcedure = t.procedure.use(errors)

/** A procedure that needs a signed-in user (session cookie or `Authorization: Bearer`). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.sessionToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
  return next({ ctx: { ...ctx, user: ctx.user, sessionToken: ctx.sessionToken } })
})
