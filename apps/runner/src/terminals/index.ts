import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { findRole, type Database } from '@mimiverse/db'
import { CloseCode } from '@mimiverse/shared'
import { TERMINAL_MAX_MESSAGE_BYTES, TERMINAL_PATH } from '@mimiverse/shared/terminal-protocol'
import { createCollabTokenIssuer, type AccessChanges, type Logger } from '@mimiverse/server-kit'
import type { Env } from '../env'
import { serveTerminalSocket } from './channel'
import { createTerminalManager, type TerminalManager } from './manager'
import { probeSandbox, type SandboxConfig } from './sandbox'

export { sandboxUid, SANDBOX_WORKSPACE } from './sandbox'
export type { SandboxConfig, SandboxProbe } from './sandbox'
export type { TerminalManager } from './manager'

/** Shared, sandboxed terminals: the `/terminals` WebSocket endpoint and the terminals behind it. */
export interface TerminalService {
  /** Takes the upgrade when it is for `/terminals` (returns true); leaves every other path to the caller. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  manager: TerminalManager
  /** Kills every terminal and closes every socket. */
  close(): Promise<void>
}

export interface TerminalServiceOptions {
  env: Env
  database: Database
  log: Logger
  /** The secret collab tokens are signed with (the collab server's). */
  secret: string
  /** Where membership changes and sign-outs are announced: a removed member's socket is closed at once. */
  accessChanges?: AccessChanges
}

/** Sockets per node: each holds little, but a client must not open them without bound. */
const MAX_SOCKETS = 2000

export function sandboxConfig(env: Env): SandboxConfig {
  const mib = 1024 * 1024
  return {
    bwrap: env.RUNNER_BWRAP,
    network: env.RUNNER_NETWORK,
    uidBase: env.RUNNER_SANDBOX_UID_BASE,
    limits: {
      processes: env.RUNNER_MAX_PROCESSES,
      memoryBytes: env.RUNNER_MAX_MEMORY_MB * mib,
      cpuSeconds: env.RUNNER_CPU_SECONDS,
      fileBytes: env.RUNNER_MAX_FILE_MB * mib,
      tmpBytes: env.RUNNER_TMP_MB * mib,
    },
  }
}

export function createTerminalService(options: TerminalServiceOptions): TerminalService {
  const { env, log } = options
  const sandbox = sandboxConfig(env)
  const probe = env.RUNNER_TERMINALS
    ? probeSandbox(sandbox)
    : Promise.resolve({
        ok: false as const,
        reason: 'terminals are turned off on this server (RUNNER_TERMINALS=off)',
      })
  void probe.then((p) => {
    if (p.ok) log.info('terminals available', { network: sandbox.network })
    else log.warn('terminals are off', { reason: p.reason })
  })
  const manager = createTerminalManager({
    sandbox,
    probe,
    workspacesDir: env.WORKSPACES_DIR,
    maxPerProject: env.RUNNER_MAX_TERMINALS_PER_PROJECT,
    maxTotal: env.RUNNER_MAX_TERMINALS,
    idleMs: env.RUNNER_IDLE_MINUTES * 60_000,
    outputBytesPerSecond: env.RUNNER_OUTPUT_BYTES_PER_SECOND,
    nodeOutputBytesPerSecond: env.RUNNER_NODE_OUTPUT_BYTES_PER_SECOND,
    log,
  })
  const tokens = createCollabTokenIssuer(options.secret, 0)
  const wss = new WebSocketServer({ noServer: true, maxPayload: TERMINAL_MAX_MESSAGE_BYTES })
  const channel = {
    tokens,
    roleOf: (userId: string, projectId: string) => findRole(options.database.db, userId, projectId),
    manager,
    accessChanges: options.accessChanges,
    log,
  }
  return {
    manager,
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (url.pathname !== TERMINAL_PATH) return false
      const projectId = url.searchParams.get('project') ?? ''
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', (e) => log.info('terminal socket error', { error: e.message }))
        if (wss.clients.size > MAX_SOCKETS)
          return ws.close(CloseCode.TooMany, 'too many terminal connections')
        if (!/^[0-9a-f-]{36}$/i.test(projectId))
          return ws.close(CloseCode.MalformedMessage, 'no ?project=<id>')
        serveTerminalSocket(ws, projectId, channel)
      })
      return true
    },
    close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down')
      manager.closeAll()
      return new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}
