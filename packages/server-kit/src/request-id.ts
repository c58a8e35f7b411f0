import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

const acceptable = /^[\w.:-]{1,128}$/

/** The id each request was given, so that every layer (body limits, procedures, error logs) tags the same one. */
const ids = new WeakMap<IncomingMessage, string>()

/**
 * The id that ties a request's log lines together: the caller's (or the proxy's) `X-Request-Id` when it is a
 * sane token, else a new UUID. The first call decides it and echoes it in the response (pass `res`), so a
 * user's error report can be found in the logs; later calls return the same id.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  let id = ids.get(req)
  if (!id) {
    const given = req.headers['x-request-id']
    id = typeof given === 'string' && acceptable.test(given) ? given : randomUUID()
    ids.set(req, id)
  }
  if (res && !res.headersSent && !res.hasHeader('x-request-id')) res.setHeader('x-request-id', id)
  return id
}
