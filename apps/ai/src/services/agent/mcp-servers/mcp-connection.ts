import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'

/**
 * The one wrapper of the MCP SDK's client, for the project's servers the agent calls. Message flow over
 * streamable HTTP: `initialize` (POST; the server may answer with a session id the transport then sends on every
 * request), `notifications/initialized`, `tools/list` (paged by cursor), then one `tools/call` per tool call of
 * the model; `close` ends the session (DELETE). Every request carries a deadline and the run's abort signal.
 */
export interface McpConnection {
  tools: Tool[]
  call(
    name: string,
    args: Record<string, unknown>,
    o: { signal: AbortSignal; timeoutMs: number },
  ): Promise<{ isError: boolean; text: string }>
  close(): Promise<void>
}

/** Pages of `tools/list` read at most (a server listing more is cut by the caller's bound anyway). */
const MAX_PAGES = 4

export async function connectMcpServer(o: {
  url: string
  bearer: string | null
  timeoutMs: number
  signal: AbortSignal
  /** Tools read at most, over all pages. */
  maxTools: number
}): Promise<McpConnection> {
  const client = new Client({ name: 'mimiverse-agent', title: 'Mimi (Mimiverse)', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(o.url), {
    requestInit: o.bearer ? { headers: { authorization: `Bearer ${o.bearer}` } } : {},
  })
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])
  const options = { signal, timeout: o.timeoutMs }
  try {
    await client.connect(transport, options)
    const tools: Tool[] = []
    let cursor: string | undefined
    for (let page = 0; page < MAX_PAGES && tools.length < o.maxTools; page++) {
      const listed = await client.listTools(cursor ? { cursor } : {}, options)
      tools.push(...listed.tools)
      cursor = listed.nextCursor
      if (!cursor) break
    }
    return {
      tools,
      async call(name, args, c) {
        const r = (await client.callTool({ name, arguments: args }, undefined, {
          signal: AbortSignal.any([c.signal, AbortSignal.timeout(c.timeoutMs)]),
          timeout: c.timeoutMs,
        })) as CallToolResult
        return { isError: r.isError === true, text: resultText(r) }
      },
      close: () => client.close(),
    }
  } catch (e: unknown) {
    await client.close().catch(() => {})
    throw e
  }
}

/** A tool result as text for the model: text parts as they are, other parts named (not inlined). */
export function resultText(r: CallToolResult): string {
  const parts = (r.content ?? []).map((c) => {
    switch (c.type) {
      case 'text':
        return c.text
      case 'resource':
        return 'text' in c.resource ? c.resource.text : `[binary resource ${c.resource.uri} not shown]`
      case 'resource_link':
        return `[resource ${c.uri}]`
      case 'image':
      case 'audio':
        return `[${c.type} (${c.mimeType}) not shown]`
      default:
        return '[content not shown]'
    }
  })
  if (parts.length === 0 && r.structuredContent) return JSON.stringify(r.structuredContent)
  return parts.join('\n')
}
