import { TRPCClientError } from '@trpc/client'

/** What went wrong with an API call, in words a user can act on. */
export interface ApiProblem {
  /** tRPC error code (`UNAUTHORIZED`, `FORBIDDEN`, …) or `NETWORK` when the server could not be reached. */
  code: string
  message: string
}

/**
 * Normalizes anything an API call throws. A fetch that never reached the server surfaces as a TRPCClientError
 * without `data`; the server's own messages are already written for users (see the collab tRPC error formatter).
 */
export function toProblem(e: unknown): ApiProblem {
  if (e instanceof TRPCClientError) {
    const code = (e.data as { code?: unknown } | undefined)?.code
    if (typeof code === 'string') return { code, message: e.message }
    return {
      code: 'NETWORK',
      message: 'Cannot reach the Mimiverse server. Check your connection and try again.',
    }
  }
  if (e instanceof Error) return { code: 'UNKNOWN', message: e.message }
  return { code: 'UNKNOWN', message: String(e) }
}

export function problemMessage(e: unknown): string {
  return toProblem(e).message
}
