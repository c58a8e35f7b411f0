import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Hocuspocus } from '@hocuspocus/server'
import type { Redis } from 'ioredis'
import type { Registry } from 'prom-client'
import type { Database } from '@mimiverse/db'
import {
  createApiHandler,
  crossSiteCookieWrite,
  requestIdOf,
  sendJson,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import { MAX_FILE_CHARS } from '@mimiverse/shared'
import { createContext } from '../context'
import { appRouter } from '../router'
import type { Services } from '../services/index'
import { healthz, readyz } from './health'
import { sendMetrics } from './metrics'
import { setSecurityHeaders } from './security-headers'
import { createStaticHandler } from './static'
import { liveDocuments } from '../services/live-documents'

/** Another HTTP handler served from the same port (the AI service in the embedded default). */
export interface Mount {
  matches(url: string | undefined): boolean
  handle(req: IncomingMessage, res: ServerResponse): unknown
  /**
   * Offered every WebSocket upgrade that is not for `/collab` (the runner's `/terminals`): returns true when it
   * took the socket, false to leave it (then refused with 404).
   */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  /** Its Prometheus metrics, served with ours at /metrics. */
  registry?: Registry
  close?(): Promise<void>
}

export interface RouteDeps {
  services: Services
  hocuspocus: Hocuspocus
  database: Database
  redis?: Redis
  registry: Registry
  mounts: Mount[]
  webRoot: string
  sessionTtlSeconds: number
  /** Take the client address from X-Forwarded-For (see TRUST_PROXY). */
  trustProxy: boolean
  log: Logger
  /** The node's budget of buffered request bodies, shared with the mounts. */
  bodyBudget: BodyBudget
  started: number
  draining: () => boolean
}

/** Routes every HTTP request: health, metrics, the workspace API, mounts, then the web app. */
export function createRoutes(deps: RouteDeps) {
  const { services, hocuspocus, database, redis, mounts } = deps
  const api = createApiHandler({
    router: appRouter,
    basePath: '/trpc/',
    log: deps.log.child({ component: 'api' }),
    // Room for the largest file text as JSON with every character escaped.
    largeBodyBytes: MAX_FILE_CHARS * 6 + 64 * 1024,
    bodyBudget: deps.bodyBudget,
    createContext: ({ req, res }) =>
      createContext(
        {
          services,
          log: deps.log.child({ component: 'api', requestId: requestIdOf(req, res) }),
          sessionTtlSeconds: deps.sessionTtlSeconds,
          trustProxy: deps.trustProxy,
          live: liveDocuments(hocuspocus),
        },
        req,
        res,
      ),
  })
  const web = createStaticHandler(deps.webRoot)
  const registries = [deps.registry, ...mounts.flatMap((m) => (m.registry ? [m.registry] : []))]

  return async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    setSecurityHeaders(res)
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    if (pathname === '/healthz') return healthz(res, deps.started)
    if (pathname === '/readyz')
      return readyz(res, { database, redis, draining: deps.draining, log: deps.log })
    if (pathname === '/metrics') return sendMetrics(res, ...registries)
    if (pathname === '/trpc' || pathname.startsWith('/trpc/')) {
      if (crossSiteCookieWrite(req)) return sendJson(res, 403, { error: 'cross-site request refused' })
      return api(req, res)
    }
    const mount = mounts.find((m) => m.matches(req.url))
    if (mount) return mount.handle(req, res)
    return web(req, res)
  }
}
