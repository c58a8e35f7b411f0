import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { newTestDatabase } from '@mimiverse/db/testing'
import { agentTestToken, apiClient, connectPeer, errorCodeOf, type TestUser } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

type Workspace = Awaited<ReturnType<typeof newWorkspace>>

function agentPeer(ws: Workspace, url: string, requester: TestUser, runId: string) {
  const token = agentTestToken({ requester, projectId: ws.project.id, docName: ws.file.docName, runId })
  const peer = connectPeer({ baseUrl: url, docName: ws.file.docName, token })
  onCleanup(() => peer.destroy())
  return peer
}

describe('history', () => {
  it('restores a version while another client types: the restore and every acknowledged keystroke survive', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const bob = await ws.member('editor', 'Bob')
    const reviewer = await ws.member('reviewer', 'Rita')
    const alice = ws.peer(ws.owner)
    const bobPeer = ws.peer(bob)
    await Promise.all([alice.synced(), bobPeer.synced()])
    alice.text.insert(0, 'kept\n')
    await alice.acknowledged()
    const path = ws.file.path
    const named = await ws.owner.api.history.create.mutate({ projectId: ws.project.id, path, name: 'clean' })
    expect(named).toMatchObject({ kind: 'named', name: 'clean', chars: 5, createdByName: 'Owner' })
    alice.text.insert(5, 'mistake\n')
    await alice.acknowledged()
    await vi.waitFor(() => expect(bobPeer.text.toString()).toBe('kept\nmistake\n'))

    // Bob types at the end while the owner restores: none of his keystrokes wait for the restore.
    const typed = '0123456789abcdefghij'
    const restoring = ws.owner.api.history.restore.mutate({ versionId: named.id })
    for (const c of typed) {
      bobPeer.text.insert(bobPeer.text.length, c)
      await new Promise((r) => setImmediate(r))
    }
    await restoring
    await bobPeer.acknowledged()
    await vi.waitFor(() => expect(alice.text.toString()).toBe(`kept\n${typed}`))
    expect(await ws.read()).toBe(`kept\n${typed}`)

    // The restore can itself be undone: the state before it is a version.
    const versions = await reviewer.api.history.list.query({ projectId: ws.project.id, path })
    const before = versions.find((v) => v.kind === 'before-restore')!
    expect((await reviewer.api.history.get.query({ versionId: before.id })).content).toContain('mistake\n')
    // Reviewers read history but change nothing.
    expect(await errorCodeOf(reviewer.api.history.restore.mutate({ versionId: before.id }))).toBe('FORBIDDEN')
    expect(
      await errorCodeOf(reviewer.api.history.create.mutate({ projectId: ws.project.id, path, name: 'x' })),
    ).toBe('FORBIDDEN')
  })

  it("rolls back one agent run's edits and keeps the human edits made after it", async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const alice = ws.peer(ws.owner)
    await alice.synced()
    alice.text.insert(0, 'header\nold line\n')
    await alice.acknowledged()

    const runId = randomUUID()
    const agent = agentPeer(ws, server.url, ws.owner, runId)
    await agent.synced()
    await vi.waitFor(() => expect(agent.text.toString()).toBe('header\nold line\n'))
    agent.text.delete(7, 9)
    agent.text.insert(7, 'agent line\n')
    await agent.acknowledged()
    agent.destroy()
    await vi.waitFor(() => expect(alice.text.toString()).toBe('header\nagent line\n'))
    alice.text.insert(alice.text.length, 'human after\n')
    alice.text.insert(0, '// top\n')
    await alice.acknowledged()

    const path = ws.file.path
    const result = await ws.owner.api.history.rollback.mutate({
      projectId: ws.project.id,
      path,
      author: { kind: 'agent', runId },
    })
    expect(result.edits).toBeGreaterThan(0)
    await vi.waitFor(() => expect(alice.text.toString()).toBe('// top\nheader\nold line\nhuman after\n'))
    const kinds = (await ws.owner.api.history.list.query({ projectId: ws.project.id, path })).map(
      (v) => v.kind,
    )
    expect(kinds).toEqual(expect.arrayContaining(['agent-before', 'agent-after', 'before-restore']))
  })

  it('blames each line on its author (two people and an agent run), across a server restart', async () => {
    const database = await newTestDatabase()
    onCleanup(() => database.close())
    const first = await newServer({ database })
    const ws = await newWorkspace(first)
    const bob = await ws.member('editor', 'Bob')
    const alice = ws.peer(ws.owner)
    await alice.synced()
    alice.text.insert(0, 'alice\n')
    await alice.acknowledged()
    const bobPeer = ws.peer(bob)
    await bobPeer.synced()
    bobPeer.text.insert(bobPeer.text.length, 'bob\n')
    await bobPeer.acknowledged()
    const runId = randomUUID()
    const agent = agentPeer(ws, first.url, bob, runId)
    await agent.synced()
    await vi.waitFor(() => expect(agent.text.toString()).toBe('alice\nbob\n'))
    agent.text.insert(agent.text.length, 'agent\n')
    await agent.acknowledged()

    const expected = [
      { line: 1, name: 'Owner', author: { kind: 'user', userId: ws.owner.id, runId: null } },
      { line: 2, name: 'Bob', author: { kind: 'user', userId: bob.id, runId: null } },
      { line: 3, name: 'Mimi for Bob', author: { kind: 'agent', userId: bob.id, runId } },
      { line: 4, name: null, author: null },
    ]
    const input = { projectId: ws.project.id, path: ws.file.path }
    expect(await ws.owner.api.blame.get.query(input)).toMatchObject(expected)

    for (const p of [alice, bobPeer, agent]) p.destroy()
    await first.stop()
    const second = await newServer({ database })
    const again = apiClient(second.url, bob.token)
    expect(await again.blame.get.query(input)).toMatchObject(expected)
  })

  it('blames the same on two nodes over Redis, whichever node each author typed on', async () => {
    const database = await newTestDatabase()
    onCleanup(() => database.close())
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `test-${randomUUID()}` }
    const a = await newServer({ database, env })
    const b = await newServer({ database, env })
    const ws = await newWorkspace(a)
    const bob = await ws.member('editor', 'Bob')
    const alice = ws.peer(ws.owner)
    await alice.synced()
    alice.text.insert(0, 'alice on A\n')
    await alice.acknowledged()
    const bobOnB = connectPeer({
      baseUrl: b.url,
      docName: ws.file.docName,
      user: bob,
      token: async () => (await bob.api.collab.token.mutate({ projectId: ws.project.id })).token,
    })
    onCleanup(() => bobOnB.destroy())
    await vi.waitFor(() => expect(bobOnB.text.toString()).toBe('alice on A\n'))
    bobOnB.text.insert(bobOnB.text.length, 'bob on B\n')
    await bobOnB.acknowledged()
    const runId = randomUUID()
    const agent = agentPeer(ws, b.url, bob, runId)
    await vi.waitFor(() => expect(agent.text.toString()).toBe('alice on A\nbob on B\n'))
    agent.text.insert(agent.text.length, 'agent on B\n')
    await agent.acknowledged()
    await vi.waitFor(() => expect(alice.text.toString()).toBe('alice on A\nbob on B\nagent on B\n'))

    const expected = [
      { line: 1, name: 'Owner', author: { kind: 'user', userId: ws.owner.id, runId: null } },
      { line: 2, name: 'Bob', author: { kind: 'user', userId: bob.id, runId: null } },
      { line: 3, name: 'Mimi for Bob', author: { kind: 'agent', userId: bob.id, runId } },
      { line: 4, name: null, author: null },
    ]
    const input = { projectId: ws.project.id, path: ws.file.path }
    // Each node records the authors of its own connections only (an update relayed over Redis is not credited
    // twice); the other node reads them once they are written, every 2 s.
    await vi.waitFor(() => expect(ws.owner.api.blame.get.query(input)).resolves.toMatchObject(expected), {
      timeout: 15_000,
      interval: 200,
    })
    expect(await apiClient(b.url, bob.token).blame.get.query(input)).toMatchObject(expected)
  })
})
