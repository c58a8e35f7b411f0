import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { findRole, findSessionUser, type Database } from '@mimiverse/db'
import { AppError, canWrite, ErrorCode } from '@mimiverse/shared'
import { sendJson, sessionTokenOf } from '@mimiverse/server-kit'
import type { HistoryImport } from './history-import'

/** Where `mimi import` sends a folder's git history (public contract: apps/runner/README.md). */
export const HISTORY_IMPORT_PATH = '/runner/git/import'

const STATUS: Record<string, number> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unavailable]: 503,
}

const query = z.object({
  projectId: z.uuid(),
  branch: z
    .string()
    .regex(/^[\w./-]{1,200}$/, 'not a branch name')
    .nullable(),
})

/**
 * `POST /runner/git/import?projectId=&branch=` with a git bundle as the body (`application/octet-stream`, at most
 * `maxBytes`): the project's workspace gets that history (`history-import.ts`). Authenticated by session (bearer
 * or cookie) and authorized for editors, like `git.*`; the body is read only after both.
 */
export function createImportEndpoint(o: {
  database: Database
  importHistory: HistoryImport
  maxBytes: number
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST a git bundle here' })
    const url = new URL(req.url ?? '/', 'http://runner')
    const input = query.safeParse({
      projectId: url.searchParams.get('projectId'),
      branch: url.searchParams.get('branch'),
    })
    if (!input.success) return sendJson(res, 400, { error: input.error.issues[0]!.message })
    const token = sessionTokenOf(req)
    const user = token ? await findSessionUser(o.database.db, token) : null
    if (!user) return sendJson(res, 401, { error: 'Sign in first' })
    const role = await findRole(o.database.db, user.id, input.data.projectId)
    if (!role) return sendJson(res, 403, { error: 'You are not a member of this project' })
    if (!canWrite(role)) return sendJson(res, 403, { error: 'Reviewers cannot import history' })
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > o.maxBytes) return sendJson(res, 413, { error: tooLarge(o.maxBytes) })
    const bundle = await readAll(req, o.maxBytes)
    if (!bundle) {
      // The rest of the body is not read: the connection ends with this answer.
      res.setHeader('connection', 'close')
      return sendJson(res, 413, { error: tooLarge(o.maxBytes) })
    }
    try {
      sendJson(res, 200, await o.importHistory(input.data.projectId, bundle, input.data.branch))
    } catch (e: unknown) {
      if (!(e instanceof AppError)) throw e
      sendJson(res, STATUS[e.code] ?? 500, { error: e.message })
    }
  }
}

const tooLarge = (max: number) =>
  `The history is larger than this server takes (${Math.round(max / 2 ** 20)} MiB)`

/** The whole body, or null once it passes `max` bytes (the rest is not read). */
async function readAll(req: IncomingMessage, max: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length
    if (bytes > max) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
