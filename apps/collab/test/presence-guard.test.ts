import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { AGENT_NAME, AGENT_USER_ID, CloseCode, WORKSPACE_USER } from '@mimiverse/shared'
import {
  agentTestToken,
  connectPeer,
  workspaceTestToken,
  type Peer,
  type TestUser,
} from '../src/testing/index'
import { awarenessFrame } from '../src/testing/frames'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/** The server's clock for a client: an entry must be newer to change anything. */
function clockOf(peer: Peer, clientId: number): number {
  return peer.provider.awareness!.meta.get(clientId)?.clock ?? 0
}

const own = (user: TestUser) => ({ id: user.id, name: user.name })

/** Ann (owner, her presence published), Bob (editor) watching, and Rita (reviewer), all synced. */
async function room(env: Record<string, string> = {}) {
  const server = await newServer({ env })
  const ws = await newWorkspace(server, 'hello')
  const [bob, rita] = [await ws.member('editor', 'Bob'), await ws.member('reviewer', 'Rita')]
  const ann = ws.peer(ws.owner)
  const watcher = ws.peer(bob)
  const reviewer = ws.peer(rita)
  await Promise.all([ann.synced(), watcher.synced(), reviewer.synced()])
  const annId = ann.provider.awareness!.clientID
  ann.provider.setAwarenessField('cursor', { line: 1 })
  const seenByBob = () => watcher.provider.awareness!.getStates().get(annId)
  await vi.waitFor(() => expect(seenByBob()?.cursor).toEqual({ line: 1 }))
  // Whatever reached the server before is visible to Bob once this marker is.
  const flowsStill = async (line: number) => {
    ann.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(() => expect(seenByBob()?.cursor).toEqual({ line }))
  }
  return { server, ws, bob, rita, ann, watcher, reviewer, annId, seenByBob, flowsStill }
}

describe('presence: bounded states', () => {
  it("closes a reviewer's deeply nested state with 4422; the node keeps serving everyone else", async () => {
    const { server, ws, ann, watcher, reviewer } = await room()
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const id = reviewer.provider.awareness!.clientID
    reviewer.socket.send(awarenessFrame(ws.file.docName, [[id, 100, deep]]))
    await vi.waitFor(() => expect(reviewer.closeCodes).toContain(CloseCode.InvalidPresence))

    ann.text.insert(5, ' world')
    await vi.waitFor(() => expect(watcher.text.toString()).toBe('hello world'))
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(ann.closeCodes).toEqual([])
    expect(watcher.closeCodes).toEqual([])
  })

  it('refuses a 100 KB state, and unknown or misshapen fields', async () => {
    const { ws, bob, flowsStill } = await room()
    const cases: [string, (p: Peer) => void][] = [
      ['a 100 KB state', (p) => p.provider.setAwarenessField('cursor', { pad: 'x'.repeat(100_000) })],
      ['a small state nested 9 deep', (p) => p.provider.setAwarenessField('cursor', [[[[[[[[1]]]]]]]])],
      ['an unknown field', (p) => p.provider.setAwarenessField('marker', 'x')],
      ['a file that is not {docName, path}', (p) => p.provider.setAwarenessField('file', { path: 1 })],
      ['an extra key in user', (p) => p.provider.setAwarenessField('user', { ...own(bob), admin: true })],
    ]
    for (const [what, send] of cases) {
      const peer = ws.peer(bob)
      await peer.synced()
      send(peer)
      await vi.waitFor(() => expect(peer.closeCodes, what).toContain(CloseCode.InvalidPresence))
      peer.destroy()
    }
    await flowsStill(2)
  })
})

describe('presence: tied to its sender', () => {
  it("refuses a reviewer's state or removal for another user's client; nobody sees a change", async () => {
    const { ws, rita, ann, annId, seenByBob, flowsStill } = await room()
    const before = seenByBob()
    const forgeries: [string, string][] = [
      ['state', JSON.stringify({ user: own(rita), cursor: { line: 99 } })],
      ['removal', 'null'],
    ]
    for (const [what, json] of forgeries) {
      const reviewer = ws.peer(rita)
      await reviewer.synced()
      reviewer.socket.send(awarenessFrame(ws.file.docName, [[annId, clockOf(ann, annId) + 5, json]]))
      await vi.waitFor(() => expect(reviewer.closeCodes, what).toContain(CloseCode.InvalidPresence))
      reviewer.destroy()
    }
    // Refused before Hocuspocus applied anything: Ann's presence is as it was, and still hers to move.
    expect(seenByBob()).toEqual(before)
    await flowsStill(3)
    expect(seenByBob()?.user).toEqual(own(ws.owner))
  })

  it('refuses a user that is not the connection’s own: another id, another name, or the agent', async () => {
    const { ws, bob, flowsStill } = await room()
    for (const user of [
      { id: ws.owner.id, name: ws.owner.name },
      { id: bob.id, name: 'The Boss' },
      { id: AGENT_USER_ID, name: AGENT_NAME },
    ]) {
      const peer = ws.peer(bob)
      await peer.synced()
      peer.provider.setAwarenessField('user', user)
      await vi.waitFor(() => expect(peer.closeCodes, user.name).toContain(CloseCode.InvalidPresence))
      peer.destroy()
    }
    await flowsStill(4)
  })

  it("accepts the agent as Mimi for its requester, and only for them; the agent cannot take a person's client", async () => {
    const { server, ws, annId, ann, watcher } = await room()
    const agentPeer = (onBehalfOf: { id: string; name: string }, doc?: Y.Doc) => {
      const runId = randomUUID()
      const docName = ws.file.docName
      const peer = connectPeer({
        baseUrl: server.url,
        docName,
        doc,
        token: () =>
          Promise.resolve(
            agentTestToken({ requester: own(ws.owner), projectId: ws.project.id, docName, runId }),
          ),
      })
      onCleanup(() => peer.destroy())
      peer.provider.setAwarenessField('user', {
        id: AGENT_USER_ID,
        name: AGENT_NAME,
        color: '#c026d3',
        onBehalfOf,
      })
      return peer
    }
    const agent = agentPeer(own(ws.owner))
    await agent.synced()
    const agentId = agent.provider.awareness!.clientID
    const caret = Y.createRelativePositionFromTypeIndex(agent.text, 2)
    agent.provider.setAwarenessField('selection', { anchor: caret, head: caret })
    await vi.waitFor(() =>
      expect(watcher.provider.awareness!.getStates().get(agentId)).toMatchObject({
        user: { id: AGENT_USER_ID, onBehalfOf: own(ws.owner) },
        selection: { anchor: { assoc: 0 } },
      }),
    )

    const liar = agentPeer({ id: ws.owner.id, name: 'Someone Else' })
    await vi.waitFor(() => expect(liar.closeCodes).toContain(CloseCode.InvalidPresence))

    // The agent acts for Ann, but it is not Ann: her client id stays hers.
    const thief = agentPeer(own(ws.owner), Object.assign(new Y.Doc(), { clientID: annId }))
    for (let line = 1; line <= clockOf(ann, annId) + 2; line++)
      thief.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(() => expect(thief.closeCodes).toContain(CloseCode.InvalidPresence))
    expect(agent.closeCodes).toEqual([])
  })

  it('accepts a provider that comes back with the same client id, and removes its presence when it leaves', async () => {
    const { ann, seenByBob } = await room()
    await ann.goOffline()
    await vi.waitFor(() => expect(seenByBob()).toBeUndefined())
    await ann.goOnline()
    // Its first entries are no newer than the removal the server recorded, and change nothing.
    for (let line = 10; line <= 13; line++) ann.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(() => expect(seenByBob()?.cursor).toEqual({ line: 13 }))
    expect(ann.closeCodes).toEqual([1005])

    // The new socket owns the client: when it drops, the presence goes with it (no ghost cursor).
    await ann.goOffline()
    await vi.waitFor(() => expect(seenByBob()).toBeUndefined())
  })

  it("lets a person's new socket take over their client id while the old one lingers", async () => {
    const { server, ws, ann, annId, seenByBob } = await room()
    const again = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      doc: Object.assign(new Y.Doc(), { clientID: annId }),
      user: own(ws.owner),
      token: async () => (await ws.owner.api.collab.token.mutate({ projectId: ws.project.id })).token,
    })
    onCleanup(() => again.destroy())
    await again.synced()
    // Its clock starts over: the first few entries are older than the server's and change nothing.
    const last = 20 + clockOf(ann, annId)
    for (let line = 20; line <= last; line++) again.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(() => expect(seenByBob()?.cursor).toEqual({ line: last }))
    expect(again.closeCodes).toEqual([])

    // The old socket goes without a goodbye: the presence now belongs to the new one and stays.
    const document = server.hocuspocus.documents.get(ws.file.docName)!
    expect(document.getConnectionsCount()).toBe(4)
    ann.socket.destroy()
    await vi.waitFor(() => expect(document.getConnectionsCount()).toBe(3))
    expect(document.awareness.getStates().get(annId)?.cursor).toEqual({ line: last })
  })
})

describe('presence: the workspace mirror', () => {
  it('shows the mirror as the workspace; no other token may, and a workspace token may show nothing else', async () => {
    const { server, ws, bob, watcher, flowsStill } = await room()
    const mirror = ws.mirror()
    await mirror.synced()
    const mirrorId = mirror.provider.awareness!.clientID
    await vi.waitFor(() =>
      expect(watcher.provider.awareness!.getStates().get(mirrorId)?.user).toEqual(WORKSPACE_USER),
    )

    // A person (an editor) may not show themselves as the workspace.
    const person = ws.peer(bob)
    await person.synced()
    person.provider.setAwarenessField('user', { ...WORKSPACE_USER })
    await vi.waitFor(() => expect(person.closeCodes).toContain(CloseCode.InvalidPresence))
    // Nor may the mirror show itself as a person.
    const liar = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      token: workspaceTestToken(ws.project.id),
      user: own(ws.owner),
    })
    onCleanup(() => liar.destroy())
    await vi.waitFor(() => expect(liar.closeCodes).toContain(CloseCode.InvalidPresence))

    expect(mirror.closeCodes).toEqual([])
    mirror.text.insert(0, 'disk ')
    await mirror.acknowledged()
    await flowsStill(6)
  })
})

describe('presence: rate per socket', () => {
  it('closes a socket that floods presence updates with 4429; the others are unaffected', async () => {
    const { server, ws, bob, ann, watcher, flowsStill } = await room()
    const flooder = ws.peer(bob)
    await flooder.synced()
    for (let line = 1; line <= 500; line++) flooder.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(() => expect(flooder.closeCodes).toContain(CloseCode.TooMany))

    await flowsStill(5)
    ann.text.insert(0, '> ')
    await vi.waitFor(() => expect(watcher.text.toString()).toBe('> hello'))
    expect([...ann.closeCodes, ...watcher.closeCodes]).toEqual([])
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^mimi_collab_refused_presence_total\{reason="rate"\} 1$/m)
  })

  it("never limits the workspace mirror's socket, which joins every file of its project at once", async () => {
    const { ws, watcher } = await room()
    const mirror = ws.mirror()
    await mirror.synced()
    const mirrorId = mirror.provider.awareness!.clientID
    for (let line = 1; line <= 500; line++) mirror.provider.setAwarenessField('cursor', { line })
    await vi.waitFor(
      () =>
        expect(
          (watcher.provider.awareness!.getStates().get(mirrorId)?.cursor as { line?: number } | undefined)
            ?.line,
        ).toBe(500),
      { timeout: 20_000 },
    )
    expect(mirror.closeCodes).toEqual([])
  })

  it('sends what changed while offline once, not one message per change, and stays connected', async () => {
    const { ann, seenByBob } = await room()
    await ann.goOffline()
    let sentOffline = 0
    const count = () => sentOffline++
    ann.provider.on('outgoingMessage', count)
    for (let line = 1; line <= 300; line++) ann.provider.setAwarenessField('cursor', { line })
    ann.provider.off('outgoingMessage', count)
    expect(sentOffline).toBe(0)
    await ann.goOnline()
    await vi.waitFor(() => expect(seenByBob()?.cursor).toEqual({ line: 300 }))
    expect(ann.closeCodes).toEqual([1005])
  })
})
