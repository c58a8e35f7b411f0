import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MAX_MCP_SERVERS } from '../src/contracts/mcp-servers'
import { newAgentWorld, type AgentWorld } from './agent-world'
import { approvalAsked, calls, lastToolResult, taskEnded } from './agent-task-world'
import { newMcpServerDouble, BIG_LOG_CHARS, type McpServerDouble } from './doubles/mcp-server-double'
import { aiClient, deadAddress, errorOf } from './fixtures'

/**
 * The project's MCP servers: configured through `agent.*McpServer*` (reviewers only list them), listed at the
 * start of every task run, and their tools called by the scripted model through the same approvals as
 * commands, against a real streamable-HTTP MCP server (the SDK's) on a loopback port the operator allowed.
 */
const BEARER = 'tracker-secret-0123456789'

let world: AgentWorld
let issues: McpServerDouble
beforeAll(async () => {
  world = await newAgentWorld({
    AGENT_BATCH_MS: '10',
    AGENT_PER_MINUTE: '1000',
    AGENT_MAX_STEPS: '6',
    AGENT_MCP_HTTP_HOSTS: '127.0.0.1',
    AGENT_MCP_LIST_TIMEOUT_MS: '5000',
  })
  issues = await newMcpServerDouble({ bearer: BEARER })
}, 60_000)
afterAll(async () => {
  await issues.close()
  await world.close()
})
beforeEach(async () => {
  world.ollama.turns = []
  issues.calls.length = 0
  const { servers } = await world.ai.agent.mcpServers.query({ projectId: world.projectId })
  for (const s of servers) await world.ai.agent.removeMcpServer.mutate({ serverId: s.id })
})

const addIssues = () =>
  world.ai.agent.addMcpServer.mutate({
    projectId: world.projectId,
    name: 'issues',
    url: issues.url,
    bearer: BEARER,
  })

/** The tool names the model was offered in its latest turn. */
function offeredTools(): string[] {
  const last = world.ollama.requests.filter((r) => r.path === '/api/chat').at(-1)
  const tools = (last?.body.tools ?? []) as { function: { name: string } }[]
  return tools.map((t) => t.function.name)
}

describe('project MCP servers: configuration', () => {
  it('owners and editors add, change and remove; reviewers only list; the bearer never comes back', async () => {
    const added = await addIssues()
    expect(added).toMatchObject({ name: 'issues', url: issues.url, hasBearer: true, enabled: true })
    expect(JSON.stringify(added)).not.toContain(BEARER)

    const reviewer = await world.member('reviewer', 'Rhea')
    const asReviewer = aiClient(world.server.url, reviewer.token)
    const listed = await asReviewer.agent.mcpServers.query({ projectId: world.projectId })
    expect(listed.servers.map((s) => s.name)).toEqual(['issues'])
    expect(JSON.stringify(listed)).not.toContain(BEARER)
    const tryAdd = asReviewer.agent.addMcpServer.mutate({
      projectId: world.projectId,
      name: 'mine',
      url: 'https://mcp.example.com/mcp',
    })
    expect(await errorOf(tryAdd)).toMatchObject({ code: 'FORBIDDEN' })
    expect(
      await errorOf(asReviewer.agent.updateMcpServer.mutate({ serverId: added.id, enabled: false })),
    ).toMatchObject({ code: 'FORBIDDEN' })
    expect(await errorOf(asReviewer.agent.removeMcpServer.mutate({ serverId: added.id }))).toMatchObject({
      code: 'FORBIDDEN',
    })

    const editor = await world.member('editor', 'Ed')
    const asEditor = aiClient(world.server.url, editor.token)
    const changed = await asEditor.agent.updateMcpServer.mutate({ serverId: added.id, bearer: null })
    expect(changed).toMatchObject({ hasBearer: false })
    const again = await asEditor.agent.updateMcpServer.mutate({ serverId: added.id, bearer: 'other-secret' })
    expect(again.hasBearer).toBe(true)
    expect(JSON.stringify(again)).not.toContain('other-secret')
    expect(await asEditor.agent.removeMcpServer.mutate({ serverId: added.id })).toEqual({ removed: true })
    expect((await world.ai.agent.mcpServers.query({ projectId: world.projectId })).servers).toEqual([])
  })

  it('checks URLs, names and the count per project', async () => {
    const add = (name: string, url: string) =>
      errorOf(world.ai.agent.addMcpServer.mutate({ projectId: world.projectId, name, url }))
    expect(await add('plain', 'http://mcp.example.com/mcp')).toMatchObject({ code: 'BAD_REQUEST' })
    expect(await add('self', 'https://localhost:3000/mcp')).toMatchObject({ code: 'BAD_REQUEST' })
    expect(await add('Bad__Name', 'https://mcp.example.com/mcp')).toMatchObject({ code: 'BAD_REQUEST' })
    expect(await add('long', `https://mcp.example.com/${'a'.repeat(2100)}`)).toMatchObject({
      code: 'BAD_REQUEST',
    })
    for (let i = 0; i < MAX_MCP_SERVERS; i++) {
      expect(await add(`s${i}`, `https://mcp${i}.example.com/mcp`)).toBeUndefined()
    }
    expect(await add('s0', 'https://other.example.com/mcp')).toMatchObject({ code: 'CONFLICT' })
    expect(await add('one-more', 'https://more.example.com/mcp')).toMatchObject({ code: 'CONFLICT' })
  })
})

describe('project MCP servers: tools of a run', () => {
  it('lists the tools, asks an editor, calls with the bearer, and cuts a long result saying so', async () => {
    await addIssues()
    world.ollama.turns = [
      () => {
        expect(offeredTools()).toEqual(
          expect.arrayContaining(['read_file', 'mcp__issues__lookup_issue', 'mcp__issues__big_log']),
        )
        return { toolCalls: calls(['mcp__issues__lookup_issue', { id: 42 }]) }
      },
      (messages) => {
        expect(lastToolResult(messages)).toBe('Issue #42: Login fails on Safari')
        return { toolCalls: calls(['mcp__issues__big_log', {}]) }
      },
      (messages) => {
        const log = lastToolResult(messages)
        expect(log.length).toBeLessThan(BIG_LOG_CHARS)
        expect(log).toMatch(/\(cut: 18000 more characters of the server's answer not shown\)$/)
        return { toolCalls: calls(['mcp__issues__broken', {}]) }
      },
      (messages) => {
        expect(lastToolResult(messages)).toBe('Error (from issues): the tracker is on fire')
        return { content: 'Issue 42 is the Safari login bug.' }
      },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'triage 42',
    })
    const stepId = await approvalAsked(world, runId)
    expect(issues.calls).toEqual([])
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'always' })
    const { run, events } = await taskEnded(world, runId)

    expect(run).toMatchObject({ state: 'done', message: 'Issue 42 is the Safari login bug.' })
    expect(issues.calls.map((c) => c.tool)).toEqual(['lookup_issue', 'big_log', 'broken'])
    expect(issues.calls.every((c) => c.authorization === `Bearer ${BEARER}`)).toBe(true)
    const listing = events.filter((e) => e.stepId === 'mcp1')
    expect(listing.map((e) => e.data)).toEqual([
      { tool: 'mcp__issues', args: 'tools/list' },
      { ok: true, summary: '3 tools: lookup_issue, big_log, broken' },
    ])
    const approval = events.find((e) => e.type === 'approval')
    expect(approval?.data).toEqual({ kind: 'mcp', text: 'issues: lookup_issue {"id":42}' })
    // "Always for this run": one question only.
    expect(events.filter((e) => e.type === 'approval')).toHaveLength(1)
    const steps = events.filter((e) => e.type === 'step').map((e) => e.data.tool)
    expect(steps).toEqual([
      'mcp__issues',
      'mcp__issues__lookup_issue',
      'mcp__issues__big_log',
      'mcp__issues__broken',
    ])
  })

  it('a denial reaches the model, nothing is called, and reviewers cannot decide', async () => {
    await addIssues()
    world.ollama.turns = [
      { toolCalls: calls(['mcp__issues__lookup_issue', { id: 7 }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/^An editor denied calling mcp__issues__lookup_issue/)
        return { content: 'Could not look it up.' }
      },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'look up 7',
    })
    const stepId = await approvalAsked(world, runId)
    const reviewer = await world.member('reviewer', 'Rex')
    const asReviewer = aiClient(world.server.url, reviewer.token)
    expect(await errorOf(asReviewer.agent.approve.mutate({ runId, stepId, decision: 'once' }))).toMatchObject(
      {
        code: 'FORBIDDEN',
      },
    )
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'deny' })
    const { run } = await taskEnded(world, runId)
    expect(run).toMatchObject({ state: 'done', message: 'Could not look it up.' })
    expect(issues.calls).toEqual([])
  })

  it('a server that is down is an error step of the run, and the run goes on with the others', async () => {
    await addIssues()
    await world.ai.agent.addMcpServer.mutate({
      projectId: world.projectId,
      name: 'down',
      url: `http://${await deadAddress()}/mcp`,
    })
    world.ollama.turns = [
      () => {
        const offered = offeredTools()
        expect(offered).toContain('mcp__issues__lookup_issue')
        expect(offered.some((t) => t.startsWith('mcp__down__'))).toBe(false)
        return { toolCalls: calls(['mcp__down__anything', {}], ['read_file', { path: 'nope.ts' }]) }
      },
      (messages) => {
        const results = messages.filter((m) => m.role === 'tool').map((m) => m.content)
        expect(results[0]).toMatch(/^Error: there is no tool "mcp__down__anything"/)
        return { content: 'Went on without it.' }
      },
    ]
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'go' })
    const { run, events } = await taskEnded(world, runId)
    expect(run).toMatchObject({ state: 'done', message: 'Went on without it.' })
    const failed = events.find(
      (e) => e.type === 'result' && e.data.ok === false && String(e.data.summary).includes('"down"'),
    )
    expect(failed?.data.summary).toMatch(/^Error: could not list the tools of "down": /)
    const listed = events
      .filter((e) => e.type === 'step' && e.data.args === 'tools/list')
      .map((e) => e.data.tool)
    expect(listed.sort()).toEqual(['mcp__down', 'mcp__issues'])
  })

  it('a project that allows commands lets MCP calls through unasked', async () => {
    await addIssues()
    await world.ai.agent.settings.mutate({ projectId: world.projectId, allowCommands: true })
    try {
      world.ollama.turns = [
        { toolCalls: calls(['mcp__issues__lookup_issue', { id: 1 }]) },
        (messages) => ({ content: lastToolResult(messages) }),
      ]
      const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'one' })
      const { run, events } = await taskEnded(world, runId)
      expect(run.message).toBe('Issue #1: Login fails on Safari')
      expect(events.some((e) => e.type === 'approval')).toBe(false)
    } finally {
      await world.ai.agent.settings.mutate({ projectId: world.projectId, allowCommands: false })
    }
  })
})
