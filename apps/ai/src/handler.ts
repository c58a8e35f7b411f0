import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Registry } from 'prom-client'
import type { Database } from '@mimiverse/db'
import {
  createApiHandler,
  createBodyBudget,
  crossSiteCookieWrite,
  requestIdOf,
  sendJson,
  type AccessChanges,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import { parseEnv, type Env } from './env'
import { createContext } from './context'
import { appRouter } from './router'
import { createServices, type ServiceOverrides, type Services } from './services/index'
import { createMetrics } from './services/metrics'
import { createMcpEndpoint, type McpEndpoint } from './services/mcp/endpoint'

/**
 * The AI service as a Node request handler, to mount on any HTTP server (the collab server in the embedded
 * default, `main.ts` standalone). Routes:
 * - `/ai/trpc/*`: the tRPC API (`ai.chat`, `ai.complete`, `ai.embed`, `ai.models`, `search.query`,
 *   `search.status`, `agent.*`)
 * - `/ai/healthz`: the process is up; `/ai/readyz`: the database answers (models may still be down: AI
 *   calls then fail fast with a message, and `ai.models` says what to start); its `search.mode` is `text`,
 *   with the reason, when the database lacks pgvector
 * - `/metrics` and `/ai/metrics`: Prometheus text format
 * - `/mcp`: the MCP server for outside agents (personal access tokens; services/mcp/endpoint.ts)
 */
export interface AiHandler {
  /** Whether `handle` serves this URL (the caller routes everything else elsewhere). */
  matches(url: string | undefined): boolean
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Its Prometheus registry, for a host that serves one `/metrics` for everything it mounts. */
  registry: Registry
  services: Services
  /** The `/mcp` endpoint (its open sessions, for tests). */
  mcp: McpEndpoint
  /** Closes backend clients and Redis; the database stays open (the caller owns it). */
  close(): Promise<void>
}

export interface AiHandlerOptions {
  env: Env
  database: Database
  log: Logger
  /** Test doubles and later additions (code search) plug in here. */
  overrides?: ServiceOverrides
  /**
   * Also export process metrics (CPU, memory, event loop; prefixed `mimi_ai_`). Default true; a host process
   * that already exports its own turns this off.
   */
  processMetrics?: boolean
  /**
   * The embedding collab host's WebSocket URL (read once it listens) and secret, so the agent can join
   * documents. A standalone service sets COLLAB_URL and SECRET instead.
   */
  collab?: { url: () => string; secret: string }
  /** The host's bus of access changes (see `ServiceOverrides.accessChanges`). */
  accessChanges?: AccessChanges
  /**
   * The host's budget of buffered request bodies, so one process has one bound. Default: one of its own, of
   * HTTP_BODY_BUDGET_BYTES.
   */
  bodyBudget?: BodyBudget
}

/** For the process that mounts the handler: parses the AI service's variables (throws a readable error). */
export { parseEnv as parseAiEnv }
export type { Env as AiEnv }

/**
 * Largest body of a call that carries a conversation or file context (`ai.chat`, `ai.complete`, `ai.embed`): a
 * full conversation (120,000 characters) escaped as JSON, plus room. Every other call gets the small default.
 */
const MAX_BODY_BYTES = 120_000 * 6 + 256 * 1024

export function createAiHandler(options: AiHandlerOptions): AiHandler {
  const { env, database, log } = options
  const started = Date.now()
  const metrics =
    options.overrides?.metrics ?? createMetrics({ defaultMetrics: options.processMetrics ?? true })
  const services = createServices(env, database.db, log, {
    collab: options.collab,
    accessChanges: options.accessChanges,
    ...options.overrides,
    metrics,
  })
  services.agent
    .recover()
    .catch((e: unknown) => log.warn('could not mark interrupted agent runs', { error: e }))
  const apiLog = log.child({ component: 'ai-api' })
  const bodyBudget = options.bodyBudget ?? createBodyBudget(env.HTTP_BODY_BUDGET_BYTES)
  const mcp = createMcpEndpoint({
    tokens: services.mcpTokens,
    tasks: services.tasks,
    workspace: services.workspace,
    limit: services.limits.mcp,
    maxBodyBytes: env.MCP_MAX_BODY_BYTES,
    allowedOrigins: env.MCP_ALLOWED_ORIGINS,
    presence: options.overrides?.presence ?? null,
    git: options.overrides?.git ?? null,
    budget: bodyBudget,
    log,
  })
  const api = createApiHandler({
    router: appRouter,
    basePath: '/ai/trpc/',
    log: apiLog,
    largeBodyBytes: MAX_BODY_BYTES,
    bodyBudget,
    createContext: ({ req, res, info }) =>
      createContext(
        { services, log: apiLog.child({ requestId: requestIdOf(req, res) }) },
        req,
        info.calls.map((c) => c.path),
      ),
  })
  if (env.AI_WARMUP) void services.warmUp()
  if (env.SEARCH_INDEXER) void services.search.indexer.start()

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = pathOf(req.url)
    if (pathname === '/ai/healthz') {
      return sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) })
    }
    if (pathname === '/ai/readyz') return readyz(res, { database, services, log })
    if (pathname === '/metrics' || pathname === '/ai/metrics') {
      res.writeHead(200, { 'content-type': services.metrics.registry.contentType })
      return void res.end(await services.metrics.registry.metrics())
    }
    // Bearer tokens only, never cookies: Origin is checked by the endpoint itself.
    if (pathname === '/mcp') return mcp.handle(req, res)
    if (crossSiteCookieWrite(req)) return sendJson(res, 403, { error: 'cross-site request refused' })
    return api(req, res)
  }
  return {
    matches: (url) => {
      const p = pathOf(url)
      return p === '/metrics' || p === '/mcp' || p === '/ai' || p.startsWith('/ai/')
    },
    handle: (req, res) => {
      route(req, res).catch((e: unknown) => {
        log.error('AI request failed', { requestId: requestIdOf(req, res), url: req.url, error: e })
        if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' })
        else res.destroy()
      })
    },
    registry: services.metrics.registry,
    services,
    mcp,
    close: async () => {
      await mcp.close()
      await services.close()
    },
  }
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/'
}

/** Why the database did not answer is logged, not answered: a driver's error text can name hosts and users. */
async function readyz(
  res: ServerResponse,
  deps: { database: Database; services: Services; log: Logger },
): Promise<void> {
  const { database, services } = deps
  const breakers = { ollama: services.breakers.ollama.state(), triton: services.breakers.triton.state() }
  try {
    await database.ping()
    // Ready either way: without pgvector, code search runs in text mode and everything else works.
    const vector = await services.search.vectorSupport()
    const search = vector.ready ? { mode: 'hybrid' } : { mode: 'text', reason: vector.reason }
    sendJson(res, 200, { status: 'ready', database: database.kind, breakers, search })
  } catch (e: unknown) {
    deps.log.warn('readiness check failed', { error: e })
    sendJson(res, 503, { status: 'database unreachable' })
  }
}
