import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  clientAddress,
  createResponseBudget,
  sessionTokenOf,
  type Logger,
  type ResponseBudget,
} from '@mimiverse/server-kit'
import type { Services } from './services/index'
import type { PublicUser } from './services/accounts'
import type { LiveComments } from './services/comments'

/**
 * Hooks into the live collaboration server that API procedures need (closing a deleted file's sessions,
 * editing and reading live documents, announcing comment changes).
 */
export interface LiveDocuments extends LiveComments {
  close(docName: string): void
}

export interface Context {
  services: Services
  live: LiveDocuments
  log: Logger
  req: IncomingMessage
  res: ServerResponse
  /** The client address, for rate limits. */
  ip: string
  user: PublicUser | null
  /** The session token the request authenticated with, if any. */
  sessionToken: string | null
  sessionTtlSeconds: number
  /** What this request's calls may return in total (see MAX_RESPONSE_BYTES). */
  responseBudget: ResponseBudget
}

export async function createContext(
  base: Pick<Context, 'services' | 'live' | 'log' | 'sessionTtlSeconds'> & { trustProxy: boolean },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Context> {
  const sessionToken = sessionTokenOf(req)
  const user = sessionToken ? await base.services.accounts.userForToken(sessionToken) : null
  return {
    ...base,
    req,
    res,
    ip: clientAddress(req, base.trustProxy),
    user,
    sessionToken: user ? sessionToken : null,
    responseBudget: createResponseBudget(),
  }
}
