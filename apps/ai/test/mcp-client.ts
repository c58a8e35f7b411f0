import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { AgentWorld } from './agent-world'

/** The SDK's own client on the world's `/mcp`, introducing itself as "Test Agent" (`test-agent`). */
export async function connectMcp(world: AgentWorld, secret: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', title: 'Test Agent', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', world.server.url), {
    requestInit: { headers: { authorization: `Bearer ${secret}` } },
  })
  await client.connect(transport)
  return client
}

/** A personal access token of the world's owner (or of `ai`'s user) for `projectId`. */
export async function newMcpToken(
  world: AgentWorld,
  o: { label: string; role?: 'owner' | 'editor' | 'reviewer'; ai?: AgentWorld['ai']; projectId?: string },
): Promise<string> {
  const { token } = await (o.ai ?? world.ai).mcp.createToken.mutate({
    projectId: o.projectId ?? world.projectId,
    label: o.label,
    role: o.role ?? 'editor',
  })
  return token
}

/** The text of a tool's answer. */
export const textOf = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text
