import type { IncomingMessage } from 'node:http'
import type { SessionUser } from '@mimiverse/db'
import type { Logger } from './logger'
import type { Services } from './services/index'

/** Name of the workspace API's HttpOnly session cookie (apps/collab/src/http/cookies.ts). */
export const SESSION_COOKIE = 'mimi_session'

export interface Context {
  services: Services
  log: Logger
  user: SessionUser | null
}

/** Reads `Authorization: Bearer <token>` first, then the session cookie (same rules as the workspace API). */
export function sessionTokenOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null
  return readCookie(req, SESSION_COOKIE) ?? null
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

export async function createContext(
  base: Pick<Context, 'services' | 'log'>,
  req: IncomingMessage,
): Promise<Context> {
  const token = sessionTokenOf(req)
  const user = token ? await base.services.workspace.userForToken(token) : null
  return { ...base, user }
}
