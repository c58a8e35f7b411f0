import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { z } from 'zod'

/**
 * A project's MCP server for tests: the SDK's own server over streamable HTTP on a loopback port, stateless (a
 * server and transport per request, as the SDK's stateless example does). Tools: `lookup_issue {id}` answers
 * "Issue #<id>: Login fails on Safari"; `big_log {}` answers 30,000 characters; `broken {}` answers an error
 * result. With `bearer`, requests without `Authorization: Bearer <bearer>` get 401. Records every tool call
 * with the Authorization header it came with.
 */
export interface McpServerDouble {
  url: string
  calls: { tool: string; args: unknown; authorization: string | undefined }[]
  close(): Promise<void>
}

export const BIG_LOG_CHARS = 30_000

export async function newMcpServerDouble(o: { bearer?: string } = {}): Promise<McpServerDouble> {
  const calls: McpServerDouble['calls'] = []
  const build = (req: IncomingMessage) => {
    const server = new McpServer({ name: 'issues', version: '1.0.0' })
    const record = (tool: string, args: unknown) =>
      calls.push({ tool, args, authorization: req.headers.authorization })
    server.registerTool(
      'lookup_issue',
      { description: 'Look an issue up by its number.', inputSchema: { id: z.number().int() } },
      (a) => {
        record('lookup_issue', a)
        return { content: [{ type: 'text', text: `Issue #${a.id}: Login fails on Safari` }] }
      },
    )
    server.registerTool('big_log', { description: 'The whole build log.', inputSchema: {} }, () => {
      record('big_log', {})
      return { content: [{ type: 'text', text: 'x'.repeat(BIG_LOG_CHARS) }] }
    })
    server.registerTool('broken', { description: 'Always fails.', inputSchema: {} }, () => {
      record('broken', {})
      return { isError: true, content: [{ type: 'text', text: 'the tracker is on fire' }] }
    })
    return server
  }
  const http = createServer((req, res) => {
    if (o.bearer && req.headers.authorization !== `Bearer ${o.bearer}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}')
      return
    }
    const server = build(req)
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    res.on('close', () => {
      void transport.close()
      void server.close()
    })
    server
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch(() => res.writeHead(500).end())
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        http.closeAllConnections()
        http.close(() => r())
      }),
  }
}
