import { TRPCError, type TRPCDefaultErrorShape } from '@trpc/server'
import { ZodError } from 'zod'
import { AppError } from '@mimiverse/shared'

/**
 * The tRPC error boundary both services share; each keeps its own `initTRPC` and passes `formatError` as its
 * error formatter and calls `handleProcedureError` from its error middleware. Clients see the code and a
 * message, never a stack trace.
 */

/**
 * The message a client sees: zod issues as one readable line (`path: problem; …`), the AppError's own text, or
 * a generic line for an unexpected internal error, whose text may hold internals (it is logged server-side).
 */
export function readableMessage(error: TRPCError): string {
  if (error.cause instanceof ZodError) {
    return error.cause.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ')
  }
  if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
    return 'Internal server error'
  }
  return error.message
}

/**
 * An AppError as the TRPCError carrying its code (and so its HTTP status); anything else unchanged. Every
 * `ErrorCode` value is spelled as the tRPC code it maps to, so no table is needed (the compiler checks it).
 */
export function toTRPCError(e: unknown): unknown {
  if (e instanceof AppError) return new TRPCError({ code: e.code, message: e.message, cause: e })
  return e
}

/** What clients receive for an error: tRPC's default shape without the stack (`data.stack`) and extras. */
export interface ClientErrorShape extends Omit<TRPCDefaultErrorShape, 'data'> {
  data: Pick<TRPCDefaultErrorShape['data'], 'code' | 'httpStatus' | 'path'>
}

/** The `errorFormatter` of both services: a readable message and only the data a client needs. */
export function formatError(opts: { shape: TRPCDefaultErrorShape; error: TRPCError }): ClientErrorShape {
  const { shape, error } = opts
  return {
    ...shape,
    message: readableMessage(error),
    data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
  }
}

/**
 * What the error middleware does with a failed procedure: an AppError is thrown again as the TRPCError with its
 * code. Unexpected errors are logged by the HTTP handler (`createApiHandler`), with the request's id, like every
 * other answer with a 5xx status.
 */
export function handleProcedureError(error: TRPCError): void {
  if (error.cause instanceof AppError) throw toTRPCError(error.cause)
}
