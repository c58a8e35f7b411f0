import type { Tool as OllamaTool } from 'ollama'
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js'
import type { AgentEvent } from '../../../contracts/agent'
import type { ToolContext } from '../task/tool-context'
import type { ToolOutcome } from '../task/tools'
import { connectMcpServer, type McpConnection } from './mcp-connection'
import type { RunServer } from './server-service'

/**
 * The tools of the project's MCP servers in one task run. At the start every enabled server is connected and
 * its tools listed (in parallel, each within `listTimeoutMs`); each listing is a step of the run that everyone
 * sees, and a server that fails is only that step's error. The model is offered each tool as
 * `mcp__<server>__<tool>` with the server's JSON Schema, within bounds (tools per server and in all, schema and
 * description sizes); what does not fit is left out and the listing step says so. A call asks an editor first,
 * under the same rules as commands, sends arguments of bounded size, and returns the result text bounded and
 * cut with a note; every failure is text for the model.
 */
export interface McpToolset {
  tools: OllamaTool[]
  has(name: string): boolean
  call(name: string, args: unknown, ctx: ToolContext): Promise<ToolOutcome>
  close(): Promise<void>
}

export const MCP_LIMITS = {
  toolsPerServer: 32,
  tools: 64,
  schemaChars: 8_000,
  descriptionChars: 1_000,
  argsChars: 32_000,
  resultChars: 12_000,
} as const

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/
const SEPARATOR = '__'

type Emit = (e: Omit<AgentEvent, 'seq' | 'at'>) => void

interface Entry {
  server: string
  tool: string
  connection: McpConnection
}

export async function openMcpToolset(
  servers: RunServer[],
  o: { listTimeoutMs: number; callTimeoutMs: number; signal: AbortSignal; emit: Emit },
): Promise<McpToolset> {
  const entries = new Map<string, Entry>()
  const offered: OllamaTool[] = []
  const connections: McpConnection[] = []
  const listed = await Promise.all(servers.map((s) => listServer(s, o)))
  for (const [i, l] of listed.entries()) {
    const stepId = `mcp${i + 1}`
    const name = servers[i]!.name
    o.emit({ type: 'step', stepId, data: { tool: `mcp__${name}`, args: 'tools/list' } })
    if (!l.ok) {
      o.emit({ type: 'result', stepId, data: { ok: false, summary: `Error: ${l.why}` } })
      continue
    }
    connections.push(l.connection)
    const left: string[] = []
    for (const t of l.connection.tools.slice(0, MCP_LIMITS.toolsPerServer)) {
      const offer = offerOf(name, t)
      if (typeof offer === 'string' || offered.length >= MCP_LIMITS.tools) {
        left.push(`${t.name} (${typeof offer === 'string' ? offer : 'too many tools in all'})`)
        continue
      }
      offered.push(offer)
      entries.set(offer.function.name!, { server: name, tool: t.name, connection: l.connection })
    }
    const extra = l.connection.tools.length - MCP_LIMITS.toolsPerServer
    if (extra > 0) left.push(`${extra} more (at most ${MCP_LIMITS.toolsPerServer} per server)`)
    const tools = [...entries.values()].filter((e) => e.server === name).map((e) => e.tool)
    const summary = `${tools.length} tools: ${tools.join(', ') || 'none'}${left.length ? `; left out: ${left.join(', ')}` : ''}`
    o.emit({ type: 'result', stepId, data: { ok: true, summary: clip(summary, 400) } })
  }
  return {
    tools: offered,
    has: (name) => name.startsWith(`mcp${SEPARATOR}`),
    call: (name, args, ctx) => callEntry(entries.get(name), { name, args, ctx, timeoutMs: o.callTimeoutMs }),
    async close() {
      await Promise.all(connections.map((c) => c.close().catch(() => {})))
    },
  }
}

async function listServer(
  s: RunServer,
  o: { listTimeoutMs: number; signal: AbortSignal },
): Promise<{ ok: true; connection: McpConnection } | { ok: false; why: string }> {
  if (!s.ok) return s
  try {
    const connection = await connectMcpServer({
      url: s.url,
      bearer: s.bearer,
      timeoutMs: o.listTimeoutMs,
      signal: o.signal,
      maxTools: MCP_LIMITS.toolsPerServer + 1,
    })
    return { ok: true, connection }
  } catch (e: unknown) {
    return { ok: false, why: `could not list the tools of "${s.name}": ${failure(e)}` }
  }
}

/** The tool as the model is offered it, or why it is left out. */
function offerOf(server: string, t: McpTool): OllamaTool | string {
  if (!TOOL_NAME.test(t.name)) return 'its name is not a valid tool name'
  const schema = JSON.stringify(t.inputSchema)
  if (schema.length > MCP_LIMITS.schemaChars) return `its schema is over ${MCP_LIMITS.schemaChars} characters`
  const description = t.description ?? t.title ?? t.annotations?.title ?? ''
  return {
    type: 'function',
    function: {
      name: `mcp${SEPARATOR}${server}${SEPARATOR}${t.name}`,
      description: clip(`(MCP server ${server}) ${description}`, MCP_LIMITS.descriptionChars),
      parameters: t.inputSchema,
    },
  }
}

async function callEntry(
  entry: Entry | undefined,
  c: { name: string; args: unknown; ctx: ToolContext; timeoutMs: number },
): Promise<ToolOutcome> {
  const { ctx } = c
  if (!entry) return { ok: false, text: `Error: there is no tool "${c.name}" (its server did not list it).` }
  const args = c.args ?? {}
  if (typeof args !== 'object' || Array.isArray(args)) {
    return { ok: false, text: `Error: invalid arguments for ${c.name}: expected an object` }
  }
  const json = JSON.stringify(args)
  if (json.length > MCP_LIMITS.argsChars) {
    return {
      ok: false,
      text: `Error: the arguments of ${c.name} are over ${MCP_LIMITS.argsChars} characters`,
    }
  }
  const asked = {
    kind: 'mcp' as const,
    text: `${entry.server}: ${entry.tool} ${clip(json, 300)}`,
    stepId: ctx.stepId,
  }
  if (!(await ctx.approve(asked))) {
    return {
      ok: false,
      text: `An editor denied calling ${c.name}; it was not called. Do not ask for it again: go on without it, or finish and say what is left to do.`,
    }
  }
  try {
    const r = await ctx.external(
      entry.connection.call(entry.tool, args as Record<string, unknown>, {
        signal: ctx.signal,
        timeoutMs: c.timeoutMs,
      }),
    )
    const text = bounded(r.text)
    return r.isError ? { ok: false, text: `Error (from ${entry.server}): ${text}` } : { ok: true, text }
  } catch (e: unknown) {
    if (ctx.signal.aborted) throw e
    return { ok: false, text: `Error: the MCP server "${entry.server}" failed: ${failure(e)}` }
  }
}

function bounded(text: string): string {
  const max = MCP_LIMITS.resultChars
  if (text.length <= max) return text
  return `${text.slice(0, max)}\n… (cut: ${text.length - max} more characters of the server's answer not shown)`
}

/** A failure in a few words: the SDK's message, never a stack. */
function failure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  return clip(message.split('\n')[0] ?? 'failed', 300)
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}
