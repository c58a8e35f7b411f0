import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hocuspocus } from '@hocuspocus/server'
import { createHTTPHandler } from '@trpc/server/adapters/standalone'
import type { Registry } from 'prom-client'
import { WebSocketServer } from 'ws'
import type { Database } from '@mimiverse/db'
import { MAX_FILE_CHARS } from '@mimiverse/shared'
import type { Env } from './env'
import type { Logger } from './logger'
import { createContext } from './context'
import { appRouter } from './router'
import { createServices, type Services } from './services/index'
import { createCollabMetrics, storeObserver } from './metrics'
import { sendMetrics } from './http/metrics'
import { connectRedis, redisExtension } from './services/redis'
import { AuthExtension } from './extensions/auth'
import { DurableLogExtension } from './extensions/durable-log'
import { guardFrames } from './protocol/frame-guard'
import { healthz, readyz } from './http/health'
import { createStaticHandler } from './http/static'
import { sendJson } from './http/respond'

export interface MimiverseServer {
  /** The origin the server answers on, e.g. `http://127.0.0.1:3000`. */
  url: string
  port: number
  services: Services
  hocuspocus: Hocuspocus
  /** Stops accepting work, stores every open document, closes every connection. The database stays open. */
  close(): Promise<void>
}

/** Another HTTP handler served from the same port (the AI service in the embedded default). */
export interface Mount {
  matches(url: string | undefined): boolean
  handle(req: IncomingMessage, res: ServerResponse): unknown
  /** Its Prometheus metrics, served with ours at /metrics. */
  registry?: Registry
  close?(): Promise<void>
}

export interface ServerOptions {
  env: Env
  database: Database
  secret: string
  log: Logger
  /** Folder of the built web app. */
  webRoot: string
  mounts?: Mount[]
}

/** Wires HTTP (API, health, web app) and the collab WebSocket onto one port. */
export async function startServer(options: ServerOptions): Promise<MimiverseServer> {
  const { env, database, secret, log, webRoot, mounts = [] } = options
  const started = Date.now()
  let draining = false
  const redis = env.REDIS_URL ? connectRedis(env.REDIS_URL, env.REDIS_PREFIX) : undefined
  // The gauges read live state when scraped; `hocuspocus` and `services` exist by then.
  const metrics = createCollabMetrics({
    connections: () => hocuspocus.getConnectionsCount(),
    documents: () => hocuspocus.getDocumentsCount(),
    pendingAppends: () => services.store.pendingAppends,
    logSize: () => services.store.logSize(),
  })
  const services = createServices(database.db, env, secret, log, { redis, observer: storeObserver(metrics) })
  const hocuspocus = new Hocuspocus({
    quiet: true,
    debounce: env.STORE_DEBOUNCE_MS,
    maxDebounce: env.STORE_MAX_DEBOUNCE_MS,
    extensions: [
      // Several nodes: changes and awareness travel between nodes over Redis pub/sub. Each node still logs
      // what its own clients send before acknowledging, so durability holds on every node.
      ...(env.REDIS_URL ? [redisExtension(env.REDIS_URL, env.REDIS_PREFIX)] : []),
      new AuthExtension({
        tokens: services.tokens,
        access: services.access,
        log: log.child({ component: 'auth' }),
        onRefused: (code) => metrics.refusedConnections.inc({ code: String(code) }),
      }),
      new DurableLogExtension({ store: services.store, log: log.child({ component: 'durable-log' }) }),
    ],
  })
  const api = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    // Room for the largest file text as JSON with every character escaped.
    maxBodySize: MAX_FILE_CHARS * 6 + 64 * 1024,
    createContext: ({ req, res }) =>
      createContext(
        {
          services,
          log: log.child({ component: 'api' }),
          sessionTtlSeconds: env.SESSION_TTL_DAYS * 86_400,
          live: { close: (docName) => hocuspocus.closeConnections(docName) },
        },
        req,
        res,
      ),
  })
  const web = createStaticHandler(webRoot)

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    if (pathname === '/healthz') return healthz(res, started)
    if (pathname === '/metrics') {
      return sendMetrics(res, metrics.registry, ...mounts.flatMap((m) => (m.registry ? [m.registry] : [])))
    }
    if (pathname === '/readyz') return readyz(res, { database, redis, draining: () => draining })
    if (pathname === '/trpc' || pathname.startsWith('/trpc/')) {
      if (crossSiteCookieWrite(req)) return sendJson(res, 403, { error: 'cross-site request refused' })
      return api(req, res)
    }
    const mount = mounts.find((m) => m.matches(req.url))
    if (mount) return mount.handle(req, res)
    return web(req, res)
  }
  const http: Server = createHttpServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error('request failed', { url: req.url, error: e })
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' })
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: env.COLLAB_MAX_MESSAGE_BYTES })
  const collabLog = log.child({ component: 'collab' })
  http.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '/').split('?')[0]
    if (pathname !== '/collab' || draining) {
      socket.end(
        `HTTP/1.1 ${draining ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`,
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // `ws` reports protocol violations (such as a frame over maxPayload, closed with 1009) as 'error'
      // events; without a listener one bad client would crash the process.
      ws.on('error', (e) => collabLog.info('connection error', { error: e.message }))
      guardFrames(ws, collabLog, () => metrics.malformedFrames.inc())
      hocuspocus.handleConnection(ws, req, { socket: ws })
    })
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = http.address() as AddressInfo
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  const url =
    env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const close = async () => {
    draining = true
    http.close()
    // Every acknowledged update is already in the log; compaction here only keeps the next start fast.
    await services.store.flush()
    for (const name of hocuspocus.documents.keys()) {
      await services.store
        .compact(name)
        .catch((e: unknown) => log.warn('compaction at shutdown failed', { doc: name, error: e }))
    }
    for (const client of wss.clients) client.close(1001, 'server shutting down')
    wss.close()
    http.closeAllConnections()
    await services.store.flush()
    await hocuspocus.hooks('onDestroy', { instance: hocuspocus }, null)
    for (const m of mounts) await m.close?.()
    redis?.disconnect()
  }
  return { url, port, services, hocuspocus, close }
}

/**
 * Refuses writes that ride on the session cookie from another site (CSRF). SameSite=Lax already keeps the
 * cookie off cross-site POSTs in current browsers; this covers older ones. Bearer-token calls are not affected.
 */
function crossSiteCookieWrite(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.headers.cookie || req.headers.authorization) return false
  const origin = req.headers.origin
  if (!origin) return false
  try {
    return new URL(origin).host !== req.headers.host
  } catch {
    return true
  }
}
