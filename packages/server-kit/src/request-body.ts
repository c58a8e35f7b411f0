import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'

/**
 * Reading API request bodies within bounds, before anything parses them. Each request has a limit (the caller
 * works it out from the procedures it calls); a body may use a small allowance on its own, and beyond that it
 * must take its bytes from the node's budget, which every API handler of the process shares. So the memory that
 * bodies being received can hold at once is bounded by the budget plus the small allowance per connection.
 */

/** Default of the node's budget of buffered request bodies (beyond each one's free allowance), in bytes. */
export const DEFAULT_BODY_BUDGET_BYTES = 128 * 1024 * 1024

/**
 * `HTTP_BODY_BUDGET_BYTES`, parsed the same way by both services' `env.ts`: at least one body of the largest
 * size (a 10 MiB file as JSON, about 60 MiB) must fit.
 */
export const bodyBudgetBytesSchema = z.coerce
  .number()
  .int()
  .min(64 * 1024 * 1024)
  .max(16 * 1024 * 1024 * 1024)
  .default(DEFAULT_BODY_BUDGET_BYTES)

/** Bytes of request bodies that may be buffered at once in this process. */
export interface BodyBudget {
  /** Takes `bytes` when that many are free; otherwise takes nothing and returns false. */
  take(bytes: number): boolean
  /** Gives back bytes taken before. */
  give(bytes: number): void
  /** Bytes taken now. */
  readonly used: number
}

export function createBodyBudget(capacityBytes: number): BodyBudget {
  let used = 0
  return {
    take(bytes) {
      if (used + bytes > capacityBytes) return false
      used += bytes
      return true
    },
    give(bytes) {
      used = Math.max(0, used - bytes)
    },
    get used() {
      return used
    },
  }
}

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number
  /** Bytes a body may hold without taking them from the budget. */
  allowance: number
  budget: BodyBudget
}

/** Why a body was not read: too large for its request (413), or the budget is spent for now (503). */
export type BodyRefusal = { status: 413; message: string } | { status: 503; message: string }

export type BodyResult = { text: string } | { refused: BodyRefusal } | { aborted: true }

/**
 * Reads `req`'s body as UTF-8 text. A declared `Content-Length` over the limit, or more than the budget has
 * free, is refused before a byte is read; a body without one (chunked) is counted as it arrives and refused as
 * soon as it passes either. After a refusal nothing more of the body is kept. What the body took from the
 * budget is given back when the response closes.
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  options: ReadBodyOptions,
): Promise<BodyResult> {
  const { limit, allowance, budget } = options
  let taken = 0
  res.once('close', () => budget.give(taken))
  /** Makes sure `total` bytes are covered: the allowance, or bytes taken from the budget. */
  const cover = (total: number): boolean => {
    if (total <= allowance || total <= taken) return true
    if (!budget.take(total - taken)) return false
    taken = total
    return true
  }
  const tooLarge: BodyResult = {
    refused: { status: 413, message: `The request body is larger than ${limit} bytes, its limit` },
  }
  const busy: BodyResult = {
    refused: { status: 503, message: 'The server is receiving too many large requests; try again shortly' },
  }
  const declared = contentLength(req)
  if (declared !== undefined && declared > limit) return Promise.resolve(tooLarge)
  if (declared !== undefined && !cover(declared)) return Promise.resolve(busy)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let received = 0
    const settle = (result: BodyResult) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > limit) return settle(tooLarge)
      if (!cover(received)) return settle(busy)
      chunks.push(chunk)
    }
    const onEnd = () => settle({ text: Buffer.concat(chunks, received).toString('utf8') })
    // The client went away before the end of its body.
    const onClose = () => settle({ aborted: true })
    req.on('data', onData).on('end', onEnd).on('close', onClose)
  })
}

function contentLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length']
  // Node's parser accepts only digits here and refuses a request that also declares a transfer encoding.
  return header === undefined ? undefined : Number(header)
}
