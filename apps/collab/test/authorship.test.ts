import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { authorsOf, clientAuthorsOf, editsOf } from '@mimiverse/db'
import { agentTestToken, connectPeer } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

describe('authorship', () => {
  it('records who wrote what from the authenticated connection, for people, the agent and the mirror', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const bob = await ws.member('editor', 'Bob')
    const alice = ws.peer(ws.owner)
    const bobPeer = ws.peer(bob)
    await Promise.all([alice.synced(), bobPeer.synced()])
    alice.text.insert(0, 'alice\n')
    await alice.acknowledged()
    bobPeer.text.insert(bobPeer.text.length, 'bob\n')
    await bobPeer.acknowledged()

    const runId = randomUUID()
    const agent = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      token: agentTestToken({ requester: bob, projectId: ws.project.id, docName: ws.file.docName, runId }),
    })
    onCleanup(() => agent.destroy())
    await agent.synced()
    agent.text.insert(agent.text.length, 'agent\n')
    agent.text.delete(0, 2)
    await agent.acknowledged()
    const mirror = ws.mirror()
    await mirror.synced()
    mirror.text.insert(mirror.text.length, 'disk\n')
    await mirror.acknowledged()

    await server.services.authorship.flush()
    const { db } = server.database
    const authors = await authorsOf(db, ws.file.docName)
    expect(authors.map((a) => [a.kind, a.userId, a.runId])).toEqual([
      ['user', ws.owner.id, null],
      ['user', bob.id, null],
      ['agent', bob.id, runId],
      ['mirror', null, null],
    ])
    const edits = await editsOf(db, ws.file.docName)
    const ofAlice = edits.find((e) => e.userId === ws.owner.id)!
    expect(ofAlice).toMatchObject({ clientId: alice.doc.clientID, clockFrom: 0, clockTo: 6 })
    // The agent's deletion is kept with its edit, as a delete set Yjs reads back.
    const ofAgent = edits.find((e) => e.kind === 'agent')!
    const deleted = Y.decodeSnapshot(ofAgent.deletes!).ds
    expect(Y.isDeleted(deleted, { client: alice.doc.clientID, clock: 0 })).toBe(true)
    expect(await authorsOf(db, ws.file.docName, new Date(Date.now() + 60_000))).toEqual([])
  })

  it('never lets a client claim another client id: its items are credited to its own connection', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const mallory = await ws.member('editor', 'Mallory')
    const alice = ws.peer(ws.owner)
    await alice.synced()
    alice.text.insert(0, 'alice wrote this\n')
    await alice.acknowledged()

    const peer = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      token: (await mallory.api.collab.token.mutate({ projectId: ws.project.id })).token,
    })
    onCleanup(() => peer.destroy())
    await peer.synced()
    await vi.waitFor(() => expect(peer.text.toString()).toBe('alice wrote this\n'))
    // Mallory's document then writes with Alice's client id, continuing her clock (set after the sync, or Yjs
    // would pick a new id on seeing its own id in a remote update).
    peer.doc.clientID = alice.doc.clientID
    peer.text.insert(0, 'not alice: ')
    await peer.acknowledged()

    await server.services.authorship.flush()
    const { db } = server.database
    const clients = await clientAuthorsOf(db, ws.file.docName)
    expect(clients).toEqual([expect.objectContaining({ clientId: alice.doc.clientID, userId: ws.owner.id })])
    const edits = await editsOf(db, ws.file.docName)
    expect(edits.map((e) => [e.userId, e.clientId, e.clockFrom, e.clockTo])).toEqual([
      [ws.owner.id, alice.doc.clientID, 0, 17],
      [mallory.id, alice.doc.clientID, 17, 28],
    ])
  })
})
