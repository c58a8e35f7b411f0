import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hocuspocus } from '@hocuspocus/server'
import type { Database } from '@mimiverse/db'
import { FILES_EVENT, parseDocName, parseProjectDocName } from '@mimiverse/shared'
import {
  createAccessChanges,
  createBodyBudget,
  rateLimitedLogger,
  requestIdOf,
  sendJson,
  type AccessChanges,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import type { Env } from './env'
import type { ProjectActivityListener } from './extensions/project-activity'
import { createHocuspocus } from './hocuspocus'
import { routeHocuspocusConsole } from './patches/console'
import { DurableLogExtension } from './extensions/durable-log'
import { attachCollabEndpoint } from './http/collab-endpoint'
import { createRoutes, type Mount } from './http/routes'
import { createCollabMetrics, storeObserver } from './metrics'
import { newPendingBudget } from './protocol/frame-guard'
import { createServices, type Services } from './services/index'
import { connectRedis } from './services/redis'
import { createWorkspaceFiles, type WorkspaceFiles } from './services/workspace-files'
import { createCommitAuthors, type CommitAuthors } from './services/commit-authors'
import { SocketRegistry } from './sockets/registry'
import { closeOnAccessChanges } from './sockets/revocation'
import { liveDocuments } from './services/live-documents'
import { watchFileLists } from './services/file-list-watch'

export type { Mount } from './http/routes'

export interface MimiverseServer {
  /** The origin the server answers on, e.g. `http://127.0.0.1:3000`. */
  url: string
  port: number
  services: Services
  hocuspocus: Hocuspocus
  /** File operations for the workspace mirror (a mounted runner). */
  workspaceFiles: WorkspaceFiles
  /** Who to credit as co-authors of a commit (a mounted runner's `git.commit`). */
  commitAuthors: CommitAuthors
  /** Stops accepting work, stores every open document, closes every connection. The database stays open. */
  close(): Promise<void>
}

export interface ServerOptions {
  env: Env
  database: Database
  secret: string
  log: Logger
  /** Folder of the built web app. */
  webRoot: string
  mounts?: Mount[]
  /**
   * Where sign-outs and membership changes are announced (the embedded AI service hears them here). Default: a
   * bus of this server's own, on Redis when REDIS_URL is set.
   */
  accessChanges?: AccessChanges
  /** Told each project's connection count on this node, for a mounted runner. */
  onProjectActivity?: ProjectActivityListener
  /** The budget of buffered request bodies, shared with the mounts. Default: one of HTTP_BODY_BUDGET_BYTES. */
  bodyBudget?: BodyBudget
}

/** Wires HTTP (API, health, metrics, web app, mounts) and the collab WebSocket onto one port. */
export async function startServer(options: ServerOptions): Promise<MimiverseServer> {
  const { env, database, secret, log, mounts = [] } = options
  let draining = false
  const redis = env.REDIS_URL ? connectRedis(env.REDIS_URL, env.REDIS_PREFIX) : undefined
  const registry = new SocketRegistry({
    sockets: env.COLLAB_MAX_SOCKETS,
    socketsPerAddress: env.COLLAB_MAX_SOCKETS_PER_ADDRESS,
    socketsPerUser: env.COLLAB_MAX_SOCKETS_PER_USER,
    documentsPerUser: env.COLLAB_MAX_DOCUMENTS_PER_USER,
  })
  const budget = newPendingBudget(env.COLLAB_MAX_UNAUTHENTICATED_BYTES)
  // One budget for every line a socket can cause before (or by failing) authentication.
  const strangerLog = rateLimitedLogger(log, { linesPerSecond: env.COLLAB_STRANGER_LOG_PER_SECOND })
  // The gauges read live state when scraped; `hocuspocus` and `services` exist by then.
  const metrics = createCollabMetrics({
    connections: () => hocuspocus.getConnectionsCount(),
    documents: () => hocuspocus.getDocumentsCount(),
    pendingAppends: () => services.store.pendingAppends,
    sockets: () => registry.size,
    unauthenticatedBytes: () => budget.bytes,
    logSize: () => services.store.logSize(),
    databaseHeap: database.heapUsed,
  })
  const accessChanges = options.accessChanges ?? createAccessChanges({ redis, log })
  const services = createServices(database.db, env, secret, log, {
    redis,
    observer: storeObserver(metrics),
    accessChanges,
  })
  // Hocuspocus' own console messages become JSON lines of this logger until the server closes.
  const stopRoutingConsole = routeHocuspocusConsole(log)
  const hocuspocus = createHocuspocus({
    env,
    services,
    metrics,
    log,
    registry,
    strangerLog,
    onProjectActivity: options.onProjectActivity,
  })
  const stopRevoking = closeOnAccessChanges({
    bus: accessChanges,
    registry,
    access: services.access,
    log: log.child({ component: 'revocation' }),
  })
  const routes = createRoutes({
    services,
    hocuspocus,
    database,
    redis,
    mounts,
    log,
    bodyBudget: options.bodyBudget ?? createBodyBudget(env.HTTP_BODY_BUDGET_BYTES),
    webRoot: options.webRoot,
    registry: metrics.registry,
    sessionTtlSeconds: env.SESSION_TTL_DAYS * 86_400,
    trustProxy: env.TRUST_PROXY,
    started: Date.now(),
    draining: () => draining,
  })
  const http = createHttpServer((req, res) => {
    Promise.resolve(routes(req, res)).catch((e: unknown) => {
      log.error('request failed', { requestId: requestIdOf(req, res), url: req.url, error: e })
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' })
      else res.destroy()
    })
  })
  const wss = attachCollabEndpoint(http, {
    hocuspocus,
    maxPayload: env.COLLAB_MAX_MESSAGE_BYTES,
    log: strangerLog.child({ component: 'collab' }),
    draining: () => draining,
    onMalformed: (refusal) => {
      metrics.malformedFrames.inc()
      if (refusal === 'unapplicable-update') metrics.unapplicableUpdates.inc({ stage: 'frame' })
    },
    registry,
    budget,
    trustProxy: env.TRUST_PROXY,
    authTimeoutMs: env.COLLAB_AUTH_TIMEOUT_MS,
    onLimited: (limit) => metrics.socketLimits.inc({ limit }),
    mounts,
  })
  const port = await listen(http, env.PORT, env.HOST)
  services.retention.start()
  const live = liveDocuments(hocuspocus)
  const fileLists = watchFileLists({
    db: database.db,
    projects: () => openProjects(hocuspocus),
    changed: (projectId) => live.notify(projectId, { type: FILES_EVENT, projectId }),
    intervalMs: FILE_LIST_CHECK_MS,
    log: log.child({ component: 'file-lists' }),
  })

  const durableLog = hocuspocus.configuration.extensions.find((e) => e instanceof DurableLogExtension)
  // In order, so that nothing touches the database after it closes: stop accepting, drain the appends, compact,
  // and only then (the caller) close the database. Closing the sockets makes Hocuspocus unload their documents,
  // whose hooks would otherwise start compactions that race the database's close.
  const close = async () => {
    draining = true
    stopRevoking()
    await services.retention.stop()
    await fileLists.stop()
    http.close()
    const open = [...hocuspocus.documents.keys()]
    for (const client of wss.clients) client.close(1001, 'server shutting down')
    wss.close()
    http.closeAllConnections()
    // Mounts (the agent, the workspace mirror) may still store server-side changes while they stop.
    for (const m of mounts) await m.close?.()
    await durableLog?.stop()
    await services.store.flush()
    // Every acknowledged update is already in the log; compaction here only keeps the next start fast.
    for (const name of new Set([...open, ...hocuspocus.documents.keys()])) {
      await services.store
        .compact(name)
        .catch((e: unknown) => log.warn('compaction at shutdown failed', { doc: name, error: e }))
    }
    await hocuspocus.hooks('onDestroy', { instance: hocuspocus }, null)
    if (!options.accessChanges) await accessChanges.close()
    redis?.disconnect()
    stopRoutingConsole()
  }
  const workspaceFiles = createWorkspaceFiles({
    db: database.db,
    access: services.access,
    store: services.store,
    live,
  })
  const commitAuthors = createCommitAuthors({ db: database.db, authorship: services.authorship })
  return { url: publicUrl(env, port), port, services, hocuspocus, workspaceFiles, commitAuthors, close }
}

/** How often a node looks for file list changes made outside its API (see `watchFileLists`). */
const FILE_LIST_CHECK_MS = 2000

/** The projects with a document open on this node. */
function* openProjects(hocuspocus: Hocuspocus): Iterable<string> {
  for (const name of hocuspocus.documents.keys()) {
    const projectId = parseDocName(name)?.projectId ?? parseProjectDocName(name)?.projectId
    if (projectId) yield projectId
  }
}

function listen(http: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, host, () => resolve((http.address() as AddressInfo).port))
  })
}

function publicUrl(env: Env, port: number): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL.replace(/\/$/, '')
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
