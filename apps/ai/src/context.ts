import type { IncomingMessage } from 'node:http'
import type { SessionUser } from '@mimiverse/db'
import { createResponseBudget, sessionTokenOf, type Logger, type ResponseBudget } from '@mimiverse/server-kit'
import type { Services } from './services/index'

export interface Context {
  services: Services
  log: Logger
  user: SessionUser | null
  /** What an HTTP request's calls may return in total; absent for in-process callers (`createCaller`). */
  responseBudget?: ResponseBudget
}

/**
 * The procedures that may trust the access cache (services/access-cache.ts): the editor calls them at typing
 * pace. Every other procedure (chat, the agent, which writes to documents, search, stats) asks the database on
 * each call, so a revocation reaches it with no delay at all.
 */
export const CACHED_ACCESS_PROCEDURES: ReadonlySet<string> = new Set(['ai.complete', 'ai.completionEvent'])

/** `paths`: the procedures the request calls; the session is read through the cache only if all may use it. */
export async function createContext(
  base: Pick<Context, 'services' | 'log'>,
  req: IncomingMessage,
  paths: readonly string[] = [],
): Promise<Context> {
  const token = sessionTokenOf(req)
  const cached = paths.length > 0 && paths.every((p) => CACHED_ACCESS_PROCEDURES.has(p))
  const sessions = cached ? base.services.access : base.services.workspace
  const user = token ? await sessions.userForToken(token) : null
  return { ...base, user, responseBudget: createResponseBudget() }
}
