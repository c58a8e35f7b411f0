import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

const acceptable = /^[\w.:-]{1,128}$/

/**
 * The id that ties a request's log lines together: the caller's (or the proxy's) `X-Request-Id` when it is a
 * sane token, else a new UUID. It is echoed in the response so a user's error report can be found in the logs.
 */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id']
  const id = typeof given === 'string' && acceptable.test(given) ? given : randomUUID()
  if (!res.headersSent) res.setHeader('x-request-id', id)
  return id
}
