import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import { ZodError } from 'zod'
import { AppError, type ErrorCode } from '@mimiverse/shared'
import type { Context } from './context'

/**
 * The one tRPC instance of the AI service. Plain JSON on the wire: no transformer. Error handling follows the
 * workspace API (apps/collab/src/trpc.ts): AppError codes map to tRPC codes, zod issues become one readable
 * line, and clients never see stack traces or the text of unexpected errors.
 */
const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      message: readableMessage(error),
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
  if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError))
    return 'Internal server error'
  return error.message
}

/** An AppError as the TRPCError carrying its code; anything else unchanged. */
export function toTRPCError(e: unknown): unknown {
  if (e instanceof AppError) return new TRPCError({ code: trpcCodes[e.code], message: e.message, cause: e })
  return e
}

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

const errors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next()
  if (result.ok) return result
  const cause = result.error.cause
  if (cause instanceof AppError) throw toTRPCError(cause)
  if (result.error.code === 'INTERNAL_SERVER_ERROR')
    ctx.log.error('procedure failed', { path, error: cause ?? result.error })
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
