import type { IncomingMessage } from 'node:http'
import type { SessionUser } from '@mimiverse/db'
import { sessionTokenOf, type Logger } from '@mimiverse/server-kit'
import type { Services } from './services/index'

export interface Context {
  services: Services
  log: Logger
  user: SessionUser | null
}

export async function createContext(
  base: Pick<Context, 'services' | 'log'>,
  req: IncomingMessage,
): Promise<Context> {
  const token = sessionTokenOf(req)
  const user = token ? await base.services.workspace.userForToken(token) : null
  return { ...base, user }
}
