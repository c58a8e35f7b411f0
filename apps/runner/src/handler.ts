import { accessSync, constants, mkdirSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Database } from '@mimiverse/db'
import {
  createApiHandler,
  createBodyBudget,
  createCollabTokenIssuer,
  crossSiteCookieWrite,
  DEFAULT_BODY_BUDGET_BYTES,
  requestIdOf,
  sendJson,
  sessionTokenOf,
  type AccessChanges,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import { parseEnv, workspacesDir, type Env } from './env'
import {
  createCredentialBox,
  createGitContext,
  createHistoryImport,
  createImportEndpoint,
  HISTORY_IMPORT_PATH,
  createGitService,
  createRemoteService,
  createRepoTurns,
  runnerRouter,
  type CoAuthorSource,
  type GitService,
  type RemoteService,
} from './git/index'
import { createWorkspaceMirror, type ProjectFiles, type WorkspaceMirror } from './mirror/index'
import { createTerminalService, sandboxConfig, type TerminalService } from './terminals/index'
import { createAgentCommands, type AgentCommands } from './terminals/commands'

/**
 * The runner: each project's workspace on disk (its files mirrored both ways with the shared documents) and its
 * shared, sandboxed terminals. Mounted on the collab server in the embedded default (it takes the `/terminals`
 * WebSocket upgrades); the mirror joins documents through the node's collab endpoint like any collaborator.
 */
export { parseEnv as parseRunnerEnv }
export type { AgentCommands, AgentCommandRequest, AgentCommandResult } from './terminals/commands'
export type { Env as RunnerEnv }

/** Lifetime of the mirror's collab tokens; a new one is signed at every (re)connect. */
const WORKSPACE_TOKEN_TTL_SECONDS = 300

export interface RunnerOptions {
  env: Env
  database: Database
  log: Logger
  /** The collab server's secret: the mirror signs its workspace tokens with it; terminal sockets authenticate with
   * collab tokens signed with it. */
  secret: string
  /** Membership changes and sign-outs (they close terminal sockets as they close collab sockets). */
  accessChanges?: AccessChanges
  /** The collab WebSocket the mirror joins documents through (this node's own in the embedded default). */
  collabUrl: () => string
  /** The server's file service acting for the workspace (the collab node's `workspaceFiles`). */
  files: () => ProjectFiles
  /** Where the collab node reports each project's connections; the mirror follows active projects. */
  projectActivity?: { subscribe(listener: (projectId: string, connections: number) => void): () => void }
  /** The host's budget of buffered request bodies (the runner's API takes from it). Default: one of its own. */
  bodyBudget?: BodyBudget
  /**
   * Who is credited as co-author of a commit besides the committer: the collab node's authorship
   * (`MountDeps.commitAuthors`). Default: nobody.
   */
  commitAuthors?: CoAuthorSource
}

/** What the host mounts (the same shape as the collab server's `Mount`). */
export interface Runner {
  /** Null when the workspace is off (RUNNER_ENABLED=false, or its folder cannot be written). */
  mirror: WorkspaceMirror | null
  terminals: TerminalService
  git: GitService
  /** Runs the AI agent's commands in the project's shared terminals (the AI service's `CommandRunner`). */
  commands: AgentCommands
  matches(url: string | undefined): boolean
  handle(req: IncomingMessage, res: ServerResponse): unknown
  /** Takes the WebSocket upgrades it serves (`/terminals`); false leaves the upgrade to the host. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  close(): Promise<void>
}

export function createRunner(options: RunnerOptions): Runner {
  const { env, log } = options
  const mirror = workspaceEnabled(env, log)
    ? createWorkspaceMirror({
        db: options.database.db,
        files: {
          list: (projectId) => options.files().list(projectId),
          create: (projectId, path, content) => options.files().create(projectId, path, content),
          delete: (projectId, fileId) => options.files().delete(projectId, fileId),
        },
        tokens: createCollabTokenIssuer(options.secret, WORKSPACE_TOKEN_TTL_SECONDS),
        collabUrl: options.collabUrl,
        log: log.child({ component: 'mirror' }),
        workspacesDir: workspacesDir(env),
        debounceMs: env.MIRROR_DEBOUNCE_MS,
        pollMs: env.MIRROR_POLL_MS,
        maxBytes: env.MIRROR_MAX_FILE_BYTES,
        maxFiles: env.MIRROR_MAX_FILES,
        leaseMs: env.MIRROR_LEASE_SECONDS * 1000,
        idleMs: env.MIRROR_IDLE_SECONDS * 1000,
      })
    : null
  const unsubscribe = mirror
    ? options.projectActivity?.subscribe((projectId, n) => mirror.activity(projectId, n))
    : undefined
  const terminals = createTerminalService({
    env,
    database: options.database,
    log: log.child({ component: 'terminals' }),
    secret: options.secret,
    accessChanges: options.accessChanges,
  })
  const git = createGitService({
    sandbox: sandboxConfig(env),
    mirror,
    terminals: terminals.manager,
    log: log.child({ component: 'git' }),
    coAuthors: options.commitAuthors,
  })
  const inRepo = createRepoTurns({ sandbox: sandboxConfig(env), mirror, terminals: terminals.manager })
  const importHistory = createImportEndpoint({
    database: options.database,
    importHistory: createHistoryImport(inRepo),
    maxBytes: env.RUNNER_GIT_IMPORT_MAX_BYTES,
  })
  const remotes = createRemoteService({
    inRepo,
    db: options.database.db,
    box: createCredentialBox(options.secret),
    policy: env.RUNNER_GIT_REMOTES,
    log: log.child({ component: 'git-remotes' }),
  })
  const api = runnerApi({ ...options, git, remotes })
  return {
    mirror,
    terminals,
    git,
    commands: createAgentCommands({
      manager: terminals.manager,
      mirror,
      log: log.child({ component: 'agent-commands' }),
    }),
    matches: isApiPath,
    handle: (req, res) => {
      if (crossSiteCookieWrite(req)) return sendJson(res, 403, { error: 'cross-site request refused' })
      const serve = pathOf(req.url) === HISTORY_IMPORT_PATH ? importHistory : api
      return serve(req, res).catch((e: unknown) => {
        log.error('runner request failed', { requestId: requestIdOf(req, res), error: e })
        if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' })
        else res.destroy()
      })
    },
    upgrade: (req, socket, head) => terminals.upgrade(req, socket, head),
    close: async () => {
      unsubscribe?.()
      await terminals.close()
      await mirror?.close()
    },
  }
}

/** Where the runner's tRPC API is served (`git.*`). */
export const RUNNER_API_PATH = '/runner/trpc/'

const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0] ?? '/'

function isApiPath(url: string | undefined): boolean {
  const path = pathOf(url)
  return path === '/runner/trpc' || path.startsWith(RUNNER_API_PATH) || path === HISTORY_IMPORT_PATH
}

function runnerApi(options: RunnerOptions & { git: GitService; remotes: RemoteService }) {
  const apiLog = options.log.child({ component: 'runner-api' })
  return createApiHandler({
    router: runnerRouter,
    basePath: RUNNER_API_PATH,
    log: apiLog,
    // A commit message (100,000 characters escaped as JSON) or a stage of up to 5,000 paths, plus room.
    largeBodyBytes: 1024 * 1024,
    bodyBudget: options.bodyBudget ?? createBodyBudget(DEFAULT_BODY_BUDGET_BYTES),
    createContext: ({ req, res }) =>
      createGitContext(
        {
          git: options.git,
          remotes: options.remotes,
          database: options.database,
          log: apiLog.child({ requestId: requestIdOf(req, res) }),
        },
        sessionTokenOf(req),
      ),
  })
}

/** What a collab node hands the services mounted on it (the fields of its `MountDeps` the runner uses). */
export interface NodeDeps extends Omit<RunnerOptions, 'env' | 'files'> {
  workspaceFiles: () => ProjectFiles
}

/** The runner mounted on a collab node, configured from `env` (default: the process environment). */
export function mountRunner(node: NodeDeps, env: Env = parseEnv()): Runner {
  const { workspaceFiles, ...rest } = node
  return createRunner({ ...rest, env, files: workspaceFiles })
}

/** RUNNER_ENABLED, or when unset whether the workspaces folder can be created and written. */
function workspaceEnabled(env: Env, log: Logger): boolean {
  if (env.RUNNER_ENABLED === false) {
    log.info('workspaces are off (RUNNER_ENABLED=false)')
    return false
  }
  const dir = workspacesDir(env)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    accessSync(dir, constants.W_OK)
    return true
  } catch (e: unknown) {
    if (env.RUNNER_ENABLED)
      throw new Error(`RUNNER_ENABLED is set but ${dir} cannot be written: ${String(e)}`)
    log.warn('workspaces are off: their folder cannot be written', { dir, error: e })
    return false
  }
}

/** The terminals alone (no mirror), for a host that has no collab node's file service (tests, a terminals-only node). */
export function createRunnerHandler(options: {
  env: Env
  database: Database
  log: Logger
  secret: string
  accessChanges?: AccessChanges
}): Omit<Runner, 'mirror' | 'git'> & { mirror: null } {
  const terminals = createTerminalService({ ...options, log: options.log.child({ component: 'terminals' }) })
  return {
    mirror: null,
    terminals,
    commands: createAgentCommands({
      manager: terminals.manager,
      mirror: null,
      log: options.log.child({ component: 'agent-commands' }),
    }),
    matches: () => false,
    handle: (_req, res) => res.writeHead(404).end(),
    upgrade: (req, socket, head) => terminals.upgrade(req, socket, head),
    close: () => terminals.close(),
  }
}

/** What `createRunnerHandler` returns (the terminals' tests and e2e use it). */
export type RunnerHandler = ReturnType<typeof createRunnerHandler>
