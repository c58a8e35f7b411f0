import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Database } from '@mimiverse/db'
import type { AccessChanges, Logger } from '@mimiverse/server-kit'
import { parseEnv, type Env } from './env'
import { createTerminalService, type TerminalService } from './terminals/index'

/**
 * The runner: each project's workspace on disk (its files mirrored both ways with the shared documents) and its
 * shared, sandboxed terminals. Mounted on the collab server in the embedded default (it takes the `/terminals`
 * WebSocket upgrades), its own service in production.
 */
export interface RunnerHandler {
  /** The runner serves no plain HTTP route of its own yet. */
  matches(url: string | undefined): boolean
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Takes the WebSocket upgrades it serves (`/terminals`); false leaves the upgrade to the host. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  terminals: TerminalService
  close(): Promise<void>
}

export interface RunnerHandlerOptions {
  env: Env
  database: Database
  log: Logger
  /** The collab server's secret: terminal sockets authenticate with collab tokens. */
  secret: string
  accessChanges?: AccessChanges
}

/** For the process that mounts the handler: parses the runner's variables (throws a readable error). */
export { parseEnv as parseRunnerEnv }
export type { Env as RunnerEnv }

export function createRunnerHandler(options: RunnerHandlerOptions): RunnerHandler {
  const terminals = createTerminalService({ ...options, log: options.log.child({ component: 'terminals' }) })
  return {
    matches: () => false,
    handle: (_req, res) => {
      res.writeHead(404).end()
    },
    upgrade: (req, socket, head) => terminals.upgrade(req, socket, head),
    terminals,
    close: () => terminals.close(),
  }
}
