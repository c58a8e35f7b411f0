import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'
import { readBody, type BodyBudget, type Logger, type RateLimiter } from '@mimiverse/server-kit'
import { AppError, ErrorCode, outsideAgentId } from '@mimiverse/shared'
import type { ExternalRun } from '../agent/task/external-run'
import type { TaskService } from '../agent/task/task-service'
import type { Workspace } from '../workspace'
import { registerResources } from './mcp-resources'
import { registerTools, toolResult } from './mcp-tools'
import type { McpTokens, Principal } from './tokens'
import type { ProjectPresence, WorkspaceGit } from './workspace-views'

/**
 * `/mcp`: the Model Context Protocol over streamable HTTP (the official SDK's transport, revisions 2025-11-25
 * and 2025-06-18, and the older ones it still negotiates). Each request, before the SDK sees it:
 * 1. `Origin`, when sent (browsers), must be this host or one of `MCP_ALLOWED_ORIGINS` (DNS rebinding);
 * 2. `Authorization: Bearer <personal access token>` is authenticated again (revoked, demoted: refused);
 * 3. the token's rate limit is counted; 4. the body is read within `MCP_MAX_BODY_BYTES` and parsed.
 * A session (`Mcp-Session-Id`) belongs to the token that opened it. Its tool calls are the steps of one task
 * run of the agent (started at the first call), which ends when the session does: the client deletes it, it is
 * idle too long, the token is revoked, or someone stops the run in the IDE. The run shows in presence as the
 * client's name with the token's label, e.g. "Claude Code (laptop)", under an id of its own (so a colour of its
 * own) that is the same for every session of that client with that token. The project's files are also offered
 * as resources (`mcp-resources.ts`), read without a run.
 */
export interface McpEndpoint {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
  /** Open sessions (tests, metrics). */
  sessions(): number
  close(): Promise<void>
}

export interface McpEndpointOptions {
  tokens: McpTokens
  tasks: TaskService
  /** The project's files, offered as resources. */
  workspace: Workspace
  limit: RateLimiter
  maxBodyBytes: number
  allowedOrigins: readonly string[]
  budget: BodyBudget
  log: Logger
  /** Who is where in a project (`get_presence`); null: the tool says it is not available. */
  presence: ProjectPresence | null
  /** The workspace's git (`git_diff`); null: the tool says there is no workspace. */
  git: WorkspaceGit | null
  /** A session with no request for this long is closed (its run ends). Default 30 minutes. */
  idleMs?: number
}

interface Session {
  id: string
  tokenId: string
  principal: Principal
  transport: StreamableHTTPServerTransport
  server: McpServer
  run: Promise<ExternalRun> | null
  usedAt: number
  closed: boolean
}

/** Sessions one token may hold; opening one more closes its least recently used. */
const MAX_SESSIONS_PER_TOKEN = 8
/** Bytes of a body read without taking them from the process's budget. */
const BODY_ALLOWANCE = 64 * 1024
const AGENT_NAME_CHARS = 80
const CLIENT_NAME_CHARS = 40

/** A client's self-reported name, fit to show: no control characters, bounded. */
function clean(name: string): string {
  return name
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, CLIENT_NAME_CHARS)
}

export function createMcpEndpoint(o: McpEndpointOptions): McpEndpoint {
  const log = o.log.child({ component: 'mcp' })
  const sessions = new Map<string, Session>()
  const idleMs = o.idleMs ?? 30 * 60_000

  const end = async (s: Session, why: string) => {
    if (s.closed) return
    s.closed = true
    sessions.delete(s.id)
    await s.transport.close().catch(() => {})
    const run = await s.run?.catch(() => null)
    await run?.end(why)
  }
  const endLogged = (s: Session, why: string) =>
    void end(s, why).catch((e: unknown) => log.error('MCP session not ended cleanly', { error: e }))
  const unsubscribe = o.tokens.onRevoked((tokenId) => {
    for (const s of [...sessions.values()]) if (s.tokenId === tokenId) endLogged(s, 'The token was revoked.')
  })
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const s of [...sessions.values()]) if (now - s.usedAt > idleMs) endLogged(s, 'Idle: session closed.')
  }, 60_000)
  sweep.unref()

  const open = async (principal: Principal): Promise<Session> => {
    const mine = [...sessions.values()].filter((s) => s.tokenId === principal.tokenId)
    if (mine.length >= MAX_SESSIONS_PER_TOKEN) {
      const oldest = mine.reduce((a, b) => (a.usedAt <= b.usedAt ? a : b))
      await end(oldest, 'Closed: the token opened too many sessions.')
    }
    const server = new McpServer(
      { name: 'mimiverse', version: '0.1.0' },
      {
        instructions:
          'You are a co-editor in a live Mimiverse session: people may be typing in the same files. Read a file before editing it; edit_file quotes a few unique lines and streams the change in; your edits stay highlighted until someone accepts or undoes them.',
      },
    )
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        session.id = id
        sessions.set(id, session)
      },
    })
    const session: Session = {
      id: '',
      tokenId: principal.tokenId,
      principal,
      transport,
      server,
      run: null,
      usedAt: Date.now(),
      closed: false,
    }
    const agent = () => {
      const info = server.server.getClientVersion()
      const client = clean(info?.title ?? '') || clean(info?.name ?? '')
      const label = session.principal.label
      return {
        id: outsideAgentId(session.principal.tokenId, client),
        name: (client ? `${client} (${label})` : label).slice(0, AGENT_NAME_CHARS),
      }
    }
    registerTools(server, {
      principal: () => session.principal,
      presence: o.presence,
      git: o.git,
      call: async (tool, args, work) => {
        session.run ??= o.tasks.attach(session.principal.user, {
          projectId: session.principal.projectId,
          agent: agent(),
        })
        const run = await session.run
        return toolResult(await run.call(tool, args, work))
      },
    })
    registerResources(server, { principal: () => session.principal, workspace: o.workspace })
    transport.onclose = () => endLogged(session, 'The agent left.')
    await server.connect(transport)
    return session
  }

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (!originAllowed(req, o.allowedOrigins)) return refuse(res, 403, -32000, 'Origin not allowed')
    const principal = await authenticate(req, o.tokens)
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="mimiverse"')
      return refuse(res, 401, -32001, 'A valid personal access token is required (Authorization: Bearer …)')
    }
    try {
      await o.limit.hit(principal.tokenId)
    } catch (e: unknown) {
      if (e instanceof AppError && e.code === ErrorCode.TooManyRequests) {
        res.setHeader('Retry-After', '10')
        return refuse(res, 429, -32000, e.message)
      }
      throw e
    }
    const id = header(req, 'mcp-session-id')
    const session = id ? sessions.get(id) : undefined
    if (id && (!session || session.tokenId !== principal.tokenId)) {
      return refuse(res, 404, -32001, 'Session not found')
    }
    if (session) {
      session.principal = principal
      session.usedAt = Date.now()
    }
    if (req.method !== 'POST') {
      if (!session) return refuse(res, 400, -32000, 'Bad Request: no session')
      return session.transport.handleRequest(req, res)
    }
    const body = await readBody(req, res, {
      limit: o.maxBodyBytes,
      allowance: BODY_ALLOWANCE,
      budget: o.budget,
    })
    if ('aborted' in body) return
    if ('refused' in body) return refuse(res, body.refused.status, -32600, body.refused.message)
    let message: unknown
    try {
      message = JSON.parse(body.text)
    } catch {
      return refuse(res, 400, -32700, 'Parse error: the body is not JSON')
    }
    if (session) return session.transport.handleRequest(req, res, message)
    if (!isInitializeRequest(message)) {
      return refuse(res, 400, -32000, 'Bad Request: no session (send initialize first)')
    }
    const fresh = await open(principal)
    await fresh.transport.handleRequest(req, res, message)
  }

  return {
    handle: (req, res) =>
      serve(req, res).catch((e: unknown) => {
        log.error('MCP request failed', { error: e })
        if (!res.headersSent) refuse(res, 500, -32603, 'Internal error')
        else res.destroy()
      }),
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweep)
      unsubscribe()
      await Promise.all([...sessions.values()].map((s) => end(s, 'The server stopped.')))
    },
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

async function authenticate(req: IncomingMessage, tokens: McpTokens): Promise<Principal | null> {
  const auth = header(req, 'authorization')
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null
  if (!m?.[1] || m[1].length > 256) return null
  return tokens.authenticate(m[1])
}

/** No Origin (a command-line agent): allowed; else it must be this host, or listed. */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = header(req, 'origin')
  if (origin === undefined) return true
  if (allowed.includes(origin)) return true
  try {
    return new URL(origin).host === header(req, 'host')
  } catch {
    return false
  }
}

/** A JSON-RPC error answer with no id (the request was refused before it was read as a message). */
function refuse(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return void res.end()
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }))
}
