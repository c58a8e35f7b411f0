import { TRPCError } from '@trpc/server'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, ErrorCode } from '@mimiverse/shared'
import { formatError, handleProcedureError, readableMessage, toTRPCError } from './trpc-errors'

describe('tRPC error mapping', () => {
  it('turns an AppError into the TRPCError with the same code; leaves anything else alone', () => {
    const cause = new AppError(ErrorCode.TooManyRequests, 'slow down')
    const mapped = toTRPCError(cause)
    expect(mapped).toBeInstanceOf(TRPCError)
    expect(mapped).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'slow down', cause })
    const other = new Error('x')
    expect(toTRPCError(other)).toBe(other)
  })

  it('shows zod issues readably, AppError text as is, and hides unexpected internal errors', () => {
    const parsed = z.object({ name: z.string(), n: z.number() }).safeParse({ name: 1, n: 'x' })
    const invalid = new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error })
    expect(readableMessage(invalid)).toMatch(/^name: .+; n: .+$/)
    const internal = new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'at db.ts:12',
      cause: new Error(),
    })
    expect(readableMessage(internal)).toBe('Internal server error')
    const known = new AppError(ErrorCode.Internal, 'The model crashed')
    expect(
      readableMessage(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: known.message, cause: known })),
    ).toBe('The model crashed')
    expect(readableMessage(new TRPCError({ code: 'NOT_FOUND', message: 'No such file' }))).toBe(
      'No such file',
    )
  })

  it('formats errors for clients without the stack; the middleware rethrows only AppErrors', () => {
    const error = new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'secret',
      cause: new Error('secret'),
    })
    const shape = {
      code: -32603 as const,
      message: 'secret',
      data: { code: 'INTERNAL_SERVER_ERROR' as const, httpStatus: 500, path: 'a.b', stack: 'at x' },
    }
    expect(formatError({ shape, error })).toEqual({
      code: -32603,
      message: 'Internal server error',
      data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: 'a.b' },
    })
    expect(() => handleProcedureError(error)).not.toThrow()
    expect(() => handleProcedureError(new TRPCError({ code: 'BAD_REQUEST', message: 'no' }))).not.toThrow()
    const known = new AppError(ErrorCode.Forbidden, 'Not yours')
    const wrapped = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: known })
    expect(() => handleProcedureError(wrapped)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'Not yours' }),
    )
  })
})
