import { TRPCError } from '@trpc/server'

/**
 * Largest sum of the results of one API request, in bytes of JSON. One file of the largest size fits (10 MiB
 * characters are at most 60 MiB of JSON, with every character escaped); a batch of reads cannot go past it.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/**
 * Bounds what one HTTP request's calls return in total. tRPC builds a batch's whole answer as one string before
 * it writes a byte, so the bound has to apply to the results as they are produced: each call's result is
 * measured as it leaves its procedure, and the call that would take the request past the bound fails instead,
 * with PAYLOAD_TOO_LARGE and a message saying so (its batch neighbours keep their answers).
 */
export interface ResponseBudget {
  /** Counts a call's result; throws (counting nothing) when the request's results would pass the bound. */
  charge(data: unknown): void
}

export function createResponseBudget(maxBytes = MAX_RESPONSE_BYTES): ResponseBudget {
  let used = 0
  return {
    charge(data) {
      // A stream (a chat answer) is written as it is produced, under the socket's back-pressure.
      if (isAsyncIterable(data)) return
      const bytes = Buffer.byteLength(JSON.stringify(data) ?? '')
      if (used + bytes > maxBytes) {
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `The answer to this request would be larger than ${maxBytes / 1024 / 1024} MiB; ask for less at once (fewer calls per batch)`,
        })
      }
      used += bytes
    },
  }
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}
