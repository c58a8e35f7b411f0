import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { migrate, openDatabase, type Database } from '@mimiverse/db'
import {
  closeOnSignals,
  createBodyBudget,
  createLogger,
  type AccessChanges,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import { secureDataDir } from './data-dir'
import { parseEnv } from './env'
import { loadOrCreateSecret } from './secret'
import { startServer, type MimiverseServer, type Mount } from './server'
import type { WorkspaceFiles } from './services/workspace-files'
import type { CommitAuthors } from './services/commit-authors'
import { presenceIn, type ProjectPresence } from './services/project-presence'
import { createProjectActivity, type ProjectActivity } from './extensions/project-activity'
import { connectAccessChanges } from './services/redis'

export interface RunOptions {
  /**
   * Other HTTP handlers to serve from this process, given the opened database. The embedded default mounts the
   * AI service here, so one process serves everything.
   */
  mounts?: (deps: MountDeps) => Mount[]
}

/** What a mounted service gets from the host process. */
export interface MountDeps {
  database: Database
  log: Logger
  /** The secret collab tokens are signed with (the AI agent issues its own tokens with it). */
  secret: string
  /** This node's collab WebSocket URL on its listening address; known once listening, so read it lazily. */
  collabUrl: () => string
  /** Where this node announces sign-outs and membership changes (a mounted service's caches listen). */
  accessChanges: AccessChanges
  /** File operations for the workspace mirror (the runner); available once the node listens. */
  workspaceFiles: () => WorkspaceFiles
  /**
   * Who to credit as co-authors of a commit of a project's files (the runner's `git.commit`): the authorship
   * this node records. Answers once the node listens.
   */
  commitAuthors: CommitAuthors
  /** How many connections each project has on this node (the runner keeps the workspaces of active ones). */
  projectActivity: ProjectActivity
  /** Who is where in a project, from this node's live documents (the AI's outside agents ask it). */
  presence: ProjectPresence
  /** The node's budget of buffered request bodies: a mounted API takes its large bodies from it too. */
  bodyBudget: BodyBudget
}

/**
 * Starts a collab node from the environment: opens and migrates the database (embedded PGlite in DATA_DIR
 * unless DATABASE_URL is set), loads the secret, serves, prints the URL, and shuts down gracefully on
 * SIGTERM/SIGINT.
 */
export async function runServer(options: RunOptions = {}): Promise<void> {
  const env = parseEnv()
  const log = createLogger(env.LOG_LEVEL, { service: 'collab' })
  // DATA_DIR holds the generated secret and the embedded database: it is private, or the node does not start.
  const usesDataDir = !env.DATABASE_URL || !env.SECRET
  if (usesDataDir) await secureDataDir(env.DATA_DIR)
  const secret = await loadOrCreateSecret(env.DATA_DIR, env.SECRET)
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : `${env.DATA_DIR}/db`,
    // Without its database the node can acknowledge nothing: stop, so a supervisor restarts it. Everything
    // acknowledged is already committed.
    onLost: (error) => {
      log.error('the embedded database stopped; exiting', { error })
      process.exit(1)
    },
    onVacuumError: (error) => log.warn('vacuuming the embedded database failed; retrying later', { error }),
  })
  const vector = await migrate(database)
  // Everything but vector search works without pgvector; say so once, with what to install.
  if (!vector.ready) log.warn('code search runs in text mode', { reason: vector.reason })
  // Again, for what the database engine created just now (on a first start, every file, with its own modes).
  if (usesDataDir) await secureDataDir(env.DATA_DIR)
  const webRoot = env.WEB_DIST ?? firstExisting(['../web', '../../web/dist', '../../web/public'])
  const accessChanges = connectAccessChanges(env.REDIS_URL, env.REDIS_PREFIX, log)
  const bodyBudget = createBodyBudget(env.HTTP_BODY_BUDGET_BYTES)
  const late = lateMountDeps({ database, log, secret, accessChanges, bodyBudget })
  const mounts = options.mounts?.(late.deps) ?? []
  const server = await startServer({
    env,
    database,
    secret,
    log,
    webRoot,
    mounts,
    accessChanges,
    bodyBudget,
    onProjectActivity: late.onProjectActivity,
  })
  late.listening(server, env.HOST)
  log.info('listening', {
    url: server.url,
    port: server.port,
    database: database.kind,
    dataDir: env.DATA_DIR,
  })
  process.stdout.write(`\nMimiverse is running at ${server.url}\n\n`)

  closeOnSignals(log, async () => {
    await server.close()
    await accessChanges.close()
    await database.close()
  })
}

/**
 * What mounted services get (`MountDeps`) before the node listens: the collab URL and the workspace file service
 * exist only once it does (`listening`), so they are read lazily; asking earlier is a bug and throws.
 */
export function lateMountDeps(
  common: Pick<MountDeps, 'database' | 'log' | 'secret' | 'accessChanges' | 'bodyBudget'>,
) {
  let collabUrl = ''
  let started: MimiverseServer | undefined
  const activity = createProjectActivity()
  const node = () => {
    if (!started) throw new Error('the collab node is not listening yet')
    return started
  }
  const deps: MountDeps = {
    ...common,
    collabUrl: () => collabUrl,
    workspaceFiles: () => node().workspaceFiles,
    commitAuthors: (projectId, request) => node().commitAuthors(projectId, request),
    projectActivity: activity,
    presence: (projectId) => presenceIn(node().hocuspocus, projectId),
  }
  return {
    deps,
    onProjectActivity: activity.notify,
    listening: (server: MimiverseServer, host: string) => {
      started = server
      collabUrl = listeningCollabUrl(host, server.port)
    },
  }
}

/** The collab endpoint on the address this node listens on (loopback when it listens on every interface). */
export function listeningCollabUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return `ws://${h.includes(':') ? `[${h}]` : h}:${port}/collab`
}

/**
 * The web app beside this file: `dist/web` next to the production bundle, the built app next to the sources, or
 * the placeholder page when the app is not built.
 */
function firstExisting(candidates: string[]): string {
  const paths = candidates.map((c) => fileURLToPath(new URL(c, import.meta.url)))
  return paths.find((p) => existsSync(`${p}/index.html`)) ?? paths[paths.length - 1]!
}

/** Prints why start-up failed (a bad variable, an unreachable database) and exits non-zero. */
export function exitOnStartFailure(e: unknown): never {
  process.stderr.write(`Mimiverse failed to start: ${startFailureMessage(e)}\n`)
  process.exit(1)
}

/**
 * Why start-up failed, with every cause under it: drizzle reports a failed migration as "Failed query: <sql>",
 * and the database's own reason (permission denied to create extension "vector", extension not available) is
 * its `cause`, with the server's `detail` and `hint` when it gave them.
 */
export function startFailureMessage(e: unknown): string {
  const lines: string[] = []
  for (let at: unknown = e, depth = 0; at !== undefined && at !== null && depth < 5; depth++) {
    const error = at instanceof Error ? (at as Error & { detail?: unknown; hint?: unknown }) : undefined
    const text = error ? error.message : String(at)
    lines.push(depth === 0 ? text : `  cause: ${text}`)
    if (typeof error?.detail === 'string') lines.push(`  detail: ${error.detail}`)
    if (typeof error?.hint === 'string') lines.push(`  hint: ${error.hint}`)
    at = error?.cause
  }
  return lines.join('\n')
}
