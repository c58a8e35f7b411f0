import type { ServerResponse } from 'node:http'

/** Answers with `body` as JSON; `no-store`, since these answers (health, refusals, errors) are never cacheable. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}
