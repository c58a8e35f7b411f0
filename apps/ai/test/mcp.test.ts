import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { AGENT_USER_ID, colorFor } from '@mimiverse/shared'
import { newAgentWorld, marksOf, type AgentWorld } from './agent-world'
import { aiClient, errorOf, WAIT } from './fixtures'

/**
 * `/mcp` with the SDK's own client over real HTTP, against the embedded composition (a real collab server with
 * the AI handler mounted, real providers as the humans).
 */
let world: AgentWorld
let n = 0
beforeAll(async () => {
  world = await newAgentWorld({ MCP_MAX_BODY_BYTES: '65536', AGENT_BATCH_MS: '10' })
}, 60_000)
afterAll(() => world.close())

async function token(
  role: 'owner' | 'editor' | 'reviewer' = 'editor',
  ai = world.ai,
  projectId = world.projectId,
) {
  const { token } = await ai.mcp.createToken.mutate({ projectId, label: `agent ${++n}`, role })
  return token
}

async function connect(secret: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', title: 'Test Agent', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', world.server.url), {
    requestInit: { headers: { authorization: `Bearer ${secret}` } },
  })
  await client.connect(transport)
  return client
}

const textOf = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(new URL('/mcp', world.server.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  })

describe('/mcp', () => {
  it('lists the tools with their annotations; reads, searches and lists the live files', async () => {
    const path = `m${++n}/util.ts`
    await world.file(path, 'export const zebraUnicorn = 1\nexport const two = 2\n')
    const client = await connect(await token())
    const { tools } = await client.listTools()
    const byName = new Map(tools.map((t) => [t.name, t]))
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['list_files', 'read_file', 'search_code', 'edit_file', 'delete_file']),
    )
    expect(byName.get('read_file')?.annotations?.readOnlyHint).toBe(true)
    expect(byName.get('delete_file')?.annotations?.destructiveHint).toBe(true)
    expect(textOf(await client.callTool({ name: 'list_files', arguments: {} }))).toContain(path)
    expect(
      textOf(await client.callTool({ name: 'read_file', arguments: { path, offset: 2, limit: 1 } })),
    ).toBe(`${path}, lines 2-2 of 3 (cut: read on with start_line=3):\nexport const two = 2`)
    await vi.waitFor(async () => {
      const found = await client.callTool({
        name: 'search_code',
        arguments: { query: 'zebraUnicorn', mode: 'text' },
      })
      expect(textOf(found)).toContain(path)
    }, WAIT)
    await client.close()
  })

  it('edits a file while a human types in it: nothing lost, the agent seen as itself during the edit and gone after', async () => {
    const path = `m${++n}/cli.ts`
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`)
    const docName = await world.file(path, `${lines.join('\n')}\n`)
    const human = world.peer(docName)
    await human.synced()
    const secret = await token()
    const name = `Test Agent (agent ${n})`
    const awareness = human.provider.awareness!
    type Seen = { id?: string; name?: string; color?: string; onBehalfOf?: { name?: string } }
    const agentStates = () =>
      [...awareness.getStates().values()].filter((s) => (s.user as Seen | undefined)?.name === name)
    // Every state the human's editor receives while the agent works (it moves its cursor as it edits).
    const seen: { user: Seen; selection: unknown; file: unknown }[] = []
    const record = () => {
      for (const s of agentStates()) seen.push({ user: s.user as Seen, selection: s.selection, file: s.file })
    }
    awareness.on('change', record)
    const client = await connect(secret)
    await client.callTool({ name: 'read_file', arguments: { path } })
    await vi.waitFor(() => expect(agentStates()).toHaveLength(1), WAIT)
    // Typed while the agent works, not yet seen by it: around the lines it rewrites.
    human.text.insert(0, '// top\n')
    human.text.insert(human.text.toString().indexOf('line 5') + 'line 5'.length, ' typed')
    const edited = await client.callTool({
      name: 'edit_file',
      arguments: { path, edits: [{ oldText: 'line 9\nline 10\nline 11', newText: 'nine\nten\neleven' }] },
    })
    expect(edited.isError, textOf(edited)).toBeFalsy()
    const user = seen.at(-1)!.user
    expect(user).toMatchObject({ name, onBehalfOf: { name: 'Ann' } })
    expect(user.id).toMatch(/^mcp-/)
    expect(user.id).not.toBe(AGENT_USER_ID)
    expect(user.color).toBe(colorFor(user.id!))
    await vi.waitFor(() => {
      record()
      expect(seen.some((s) => s.selection && (s.file as { path?: string } | null)?.path === path)).toBe(true)
    }, WAIT)
    const ws = await client.callTool({
      name: 'edit_file',
      arguments: { path, edits: [{ oldText: '  line 15\n\tline 16', newText: 'sixteen' }] },
    })
    expect(ws.isError, textOf(ws)).toBeFalsy()
    const expected = `// top\n${lines.slice(0, 9).join('\n').replace('line 5', 'line 5 typed')}\nnine\nten\neleven\n${lines.slice(12, 15).join('\n')}\nsixteen\n${lines.slice(17).join('\n')}\n`
    await vi.waitFor(() => expect(human.text.toString()).toBe(expected), WAIT)
    expect([...marksOf(human.doc).values()].some((m) => m.ranges.length > 0)).toBe(true)
    await (client.transport as StreamableHTTPClientTransport).terminateSession()
    await client.close()
    await vi.waitFor(() => expect(agentStates()).toHaveLength(0), WAIT)
    awareness.off('change', record)
    await vi.waitFor(async () => expect(await world.read(path)).toBe(expected), WAIT)
    // The session is a run like Mimi's: listed with the agent's name, and undone exactly.
    const { tasks } = await world.ai.agent.runs.query({ projectId: world.projectId })
    const run = tasks.find((t) => t.files.some((f) => f.path === path))!
    expect(run).toMatchObject({ agent: name, state: 'done' })
    // Another session of the same client and token comes back under the same id (the same colour).
    const again = await connect(secret)
    await again.callTool({ name: 'read_file', arguments: { path } })
    await vi.waitFor(() => expect((agentStates()[0]?.user as Seen | undefined)?.id).toBe(user.id), WAIT)
    await again.close()
    await world.ai.agent.undo.mutate({ runId: run.runId })
    await vi.waitFor(
      () =>
        expect(human.text.toString()).toBe(`// top\n${lines.join('\n').replace('line 5', 'line 5 typed')}\n`),
      WAIT,
    )
  })

  it("refuses a reviewer's token every write; a reviewer cannot make an editor's token", async () => {
    const path = `m${++n}/r.ts`
    await world.file(path, 'const a = 1\n')
    const reviewer = await world.member('reviewer', `rita${n}`)
    const rai = aiClient(world.server.url, reviewer.token)
    expect(await errorOf(token('editor', rai))).toMatchObject({ code: 'FORBIDDEN' })
    const client = await connect(await token('reviewer', rai))
    const names = (await client.listTools()).tools.map((t) => t.name)
    expect(names).toContain('read_file')
    expect(names).not.toContain('edit_file')
    expect(textOf(await client.callTool({ name: 'read_file', arguments: { path } }))).toContain('const a = 1')
    const refused = await client
      .callTool({ name: 'edit_file', arguments: { path, edits: [{ oldText: 'a', newText: 'b' }] } })
      .then(
        (r) => (r.isError ? textOf(r) : 'applied'),
        (e: unknown) => String(e),
      )
    expect(refused).not.toBe('applied')
    expect(await world.read(path)).toBe('const a = 1\n')
    await client.close()
  })

  it('ends the sessions of a revoked token at once; a token of one project cannot reach another', async () => {
    const secret = await token()
    const client = await connect(secret)
    await client.callTool({ name: 'list_files', arguments: {} })
    const [info] = (await world.ai.mcp.tokens.query({ projectId: world.projectId })).filter(
      (t) => !t.revokedAt,
    )
    expect(info).toBeDefined()
    const mine = (await world.ai.mcp.tokens.query({ projectId: world.projectId })).find(
      (t) => t.label === `agent ${n}`,
    )!
    expect(mine.lastUsedAt).not.toBeNull()
    await world.ai.mcp.revokeToken.mutate({ tokenId: mine.id })
    await expect(client.callTool({ name: 'list_files', arguments: {} })).rejects.toThrow()
    await expect(connect(secret)).rejects.toThrow()
    await client.close().catch(() => {})

    const other = await world.owner.api.projects.create.mutate({ name: 'other' })
    await world.owner.api.files.create.mutate({ projectId: other.id, path: 'secret.ts', content: 'b' })
    const a = await connect(await token())
    expect(textOf(await a.callTool({ name: 'list_files', arguments: {} }))).not.toContain('secret.ts')
    const read = await a.callTool({ name: 'read_file', arguments: { path: 'secret.ts' } })
    expect(read.isError).toBe(true)
    await a.close()
  })

  it('answers malformed, oversized, unauthenticated and cross-origin requests with protocol errors and keeps serving', async () => {
    const secret = await token()
    const auth = { authorization: `Bearer ${secret}` }
    const bad = await post('{not json', auth)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } })
    const big = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { x: 'x'.repeat(70_000) } }),
      auth,
    )
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } })
    const noSession = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), auth)
    expect(noSession.status).toBe(400)
    const anonymous = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }))
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer')
    const evil = await post('{}', { ...auth, origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    const lost = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
      ...auth,
      'mcp-session-id': 'no-such-session',
    })
    expect(lost.status).toBe(404)
    const client = await connect(secret)
    expect((await client.listTools()).tools.length).toBeGreaterThan(3)
    await client.close()
  })
})
