import type { IncomingMessage, ServerResponse } from 'node:http'
import { TRPCError, type AnyTRPCRouter } from '@trpc/server'
import { createHTTPHandler, type CreateHTTPHandlerOptions } from '@trpc/server/adapters/standalone'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import type { Logger } from './logger'
import { requestIdOf } from './request-id'
import { readBody, type BodyBudget } from './request-body'

/**
 * The HTTP side of both tRPC APIs (the workspace API and the AI service). Before tRPC sees a request:
 * - a batch of more than MAX_BATCH_CALLS calls is refused (400);
 * - the body is read within the limit of the procedures it calls: DEFAULT_BODY_LIMIT_BYTES per call unless the
 *   procedure is marked `largeBody` in its meta; a declared `Content-Length` over it is refused (413) before a
 *   byte is read, a chunked body as soon as it passes it; beyond the small allowance a body takes its bytes from
 *   the node's budget, and when that is spent the request is refused (503 with Retry-After).
 * A refused request is never parsed. Every answer with a 5xx status is logged with the request's id, whether it
 * came from a procedure, from creating the context, from serializing the answer or from a stream.
 */

/** Most calls one HTTP request may batch (the web app and the CLI send one call per request). */
export const MAX_BATCH_CALLS = 10

/** Body limit of a call to a procedure that does not carry file text or a conversation: sign-in, lists, ids. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024

/** Seconds a client is asked to wait when the node's body budget is spent. */
const RETRY_AFTER_SECONDS = 2

/** What a procedure declares about itself with `.meta()`; both tRPC instances use this type. */
export interface ApiMeta {
  /** Its input carries file text or a conversation: its body may be up to the handler's `largeBodyBytes`. */
  largeBody?: boolean
}

export interface ApiHandlerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter
  /** Where the router is served, e.g. `/trpc/`. */
  basePath: string
  createContext: CreateHTTPHandlerOptions<TRouter>['createContext']
  log: Logger
  /** Body limit of a request that calls a `largeBody` procedure, in bytes (also the most any request may send). */
  largeBodyBytes: number
  /** The node's budget of buffered bodies, shared by every API handler of the process. */
  bodyBudget: BodyBudget
}

export function createApiHandler<TRouter extends AnyTRPCRouter>(
  options: ApiHandlerOptions<TRouter>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { router, basePath, log, largeBodyBytes, bodyBudget } = options
  const trpc = createHTTPHandler({
    router,
    basePath,
    createContext: options.createContext,
    // Checked again by the adapter itself, after the check below (which has the clearer message).
    maxBatchSize: MAX_BATCH_CALLS,
    maxBodySize: largeBodyBytes,
    onError: ({ error, path, req }) => logServerError(log, error, path, req),
    // The adapter's type makes `createContext` optional or not by the router's context, which a generic router
    // cannot decide; it is always given here.
  } as CreateHTTPHandlerOptions<TRouter>)
  const limitOf = (path: string) =>
    metaOf(router, path)?.largeBody ? largeBodyBytes : DEFAULT_BODY_LIMIT_BYTES

  /** Reads the body within its limit into `req.body`; false when the request was refused (and answered). */
  const admitBody = async (req: IncomingMessage, res: ServerResponse, paths: string[]): Promise<boolean> => {
    const limit = Math.min(
      paths.reduce((sum, p) => sum + limitOf(p), 0),
      largeBodyBytes,
    )
    const body = await readBody(req, res, { limit, allowance: DEFAULT_BODY_LIMIT_BYTES, budget: bodyBudget })
    if ('text' in body) {
      // The adapter takes a string `req.body` as the body, as is, instead of reading the stream again.
      Object.assign(req, { body: body.text })
      return true
    }
    if ('aborted' in body) return false
    const { status, message } = body.refused
    const path = paths.length === 1 ? paths[0] : undefined
    if (status === 413) {
      refuse(res, { code: 'PAYLOAD_TOO_LARGE', message, path })
      return false
    }
    const requestId = requestIdOf(req)
    log.warn('request refused: the body budget is spent', { requestId, path, budgetUsed: bodyBudget.used })
    refuse(res, { code: 'SERVICE_UNAVAILABLE', message, path })
    return false
  }

  return async (req, res) => {
    requestIdOf(req, res)
    const paths = procedurePaths(req.url, basePath)
    if (paths.length > MAX_BATCH_CALLS) {
      const message = `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one has ${paths.length}`
      return refuse(res, { code: 'BAD_REQUEST', message })
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    if (hasBody && !(await admitBody(req, res, paths))) return
    trpc(req, res)
  }
}

/** The procedures a request calls (`a.b`, or `a.b,c.d` with `?batch=1`), as tRPC's adapter reads them. */
function procedurePaths(url: string | undefined, basePath: string): string[] {
  let parsed: URL
  try {
    parsed = new URL(url ?? '/', 'http://localhost')
  } catch {
    return ['']
  }
  const name = trimSlashes(trimSlashes(parsed.pathname).slice(trimSlashes(basePath).length))
  let decoded = name
  try {
    decoded = decodeURIComponent(name)
  } catch {
    // tRPC answers a malformed path with its own 400.
  }
  return parsed.searchParams.get('batch') === '1' ? decoded.split(',') : [decoded]
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '')
}

function metaOf(router: AnyTRPCRouter, path: string): ApiMeta | undefined {
  // At run time `procedures` maps each full path (`files.create`) to its procedure.
  const procedures = router._def.procedures as Record<string, { _def: { meta?: ApiMeta } } | undefined>
  return Object.hasOwn(procedures, path) ? procedures[path]?._def.meta : undefined
}

/**
 * Answers a refused request with tRPC's error shape (what `formatError` sends), so tRPC clients read it like any
 * error. The connection stays open: Node reads what is left of a refused body and drops it, never buffering it
 * (within the server's request timeout). Closing instead could reset the connection under the client while it is
 * still sending, and lose the answer with it (RFC 9112, section 9.6).
 */
function refuse(
  res: ServerResponse,
  error: { code: TRPC_ERROR_CODE_KEY; message: string; path?: string | undefined },
): void {
  const httpStatus = getHTTPStatusCodeFromError(new TRPCError({ code: error.code }))
  res.writeHead(httpStatus, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...(httpStatus === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}),
  })
  const data = { code: error.code, httpStatus, path: error.path }
  res.end(
    JSON.stringify({ error: { message: error.message, code: TRPC_ERROR_CODES_BY_KEY[error.code], data } }),
  )
}

/**
 * tRPC's `onError`: every error of a request, from wherever it came. A 500 is a failure of ours and is logged as
 * an error; other 5xx (a model that is down, say) as warnings. Client errors are not logged.
 */
function logServerError(log: Logger, error: TRPCError, path: string | undefined, req: IncomingMessage): void {
  const status = getHTTPStatusCodeFromError(error)
  if (status < 500) return
  const fields = { requestId: requestIdOf(req), path, status, code: error.code, error: error.cause ?? error }
  if (status === 500) log.error('API request failed', fields)
  else log.warn('API request failed', fields)
}
