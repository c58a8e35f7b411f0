import { describe, expect, it, vi } from 'vitest'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { TestServer, TestUser } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/** A y-websocket client on `/yjs/<docName>`, with the token as a query parameter or a subprotocol. */
function yClient(
  server: TestServer,
  docName: string,
  token: string,
  opts: { via?: 'query' | 'subprotocol'; user?: TestUser } = {},
) {
  const doc = new Y.Doc()
  const closeCodes: number[] = []
  const subprotocol = opts.via === 'subprotocol'
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/yjs`, docName, doc, {
    WebSocketPolyfill: WebSocket as never,
    // In one process, BroadcastChannel would carry edits between clients without the server.
    disableBc: true,
    maxBackoffTime: 500,
    ...(subprotocol ? { protocols: ['yjs', `token.${token}`] } : { params: { token } }),
  })
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code)
  })
  if (opts.user) provider.awareness.setLocalStateField('user', { id: opts.user.id, name: opts.user.name })
  onCleanup(() => {
    provider.destroy()
    doc.destroy()
  })
  return { provider, doc, text: doc.getText(CONTENT_FIELD), closeCodes }
}

async function tokenOf(user: TestUser, projectId: string): Promise<string> {
  return (await user.api.collab.token.mutate({ projectId })).token
}

describe('y-websocket clients on /yjs/<docName>', () => {
  it('edit one document with a Hocuspocus provider, converge, store the edits and share presence', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const peer = ws.peer(ws.owner)
    const y = yClient(server, ws.file.docName, await tokenOf(bob, ws.project.id), { user: bob })
    await peer.synced()
    await vi.waitFor(() => expect(y.provider.synced).toBe(true))
    expect(y.text.toString()).toBe('hello')

    y.text.insert(5, ' from y-websocket')
    peer.text.insert(0, 'Hocuspocus: ')
    const both = 'Hocuspocus: hello from y-websocket'
    await vi.waitFor(() => expect(y.text.toString()).toBe(both))
    await vi.waitFor(() => expect(peer.text.toString()).toBe(both))
    await vi.waitFor(async () => expect(await server.services.store.readText(ws.file.docName)).toBe(both))

    // Presence both ways, checked like a provider's (the token's user).
    await vi.waitFor(() =>
      expect(peer.provider.awareness!.getStates().get(y.doc.clientID)?.user).toEqual({
        id: bob.id,
        name: bob.name,
      }),
    )
    await vi.waitFor(() =>
      expect(y.provider.awareness.getStates().get(peer.doc.clientID)?.user).toMatchObject({
        name: ws.owner.name,
      }),
    )
    expect(y.closeCodes).toEqual([])
  })

  it('takes the token as a subprotocol; a reviewer reads and is present, and its edits are dropped', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base')
    const rita = await ws.member('reviewer', 'Rita')
    const owner = ws.peer(ws.owner)
    const reviewer = yClient(server, ws.file.docName, await tokenOf(rita, ws.project.id), {
      via: 'subprotocol',
      user: rita,
    })
    await owner.synced()
    await vi.waitFor(() => expect(reviewer.provider.synced).toBe(true))
    expect(reviewer.provider.ws?.protocol).toBe('yjs')

    reviewer.text.insert(0, 'REVIEWER ')
    owner.text.insert(4, '!')
    await vi.waitFor(() => expect(reviewer.text.toString()).toBe('REVIEWER base!'))
    await owner.acknowledged()
    await vi.waitFor(() =>
      expect(owner.provider.awareness!.getStates().get(reviewer.doc.clientID)?.user).toMatchObject({
        name: rita.name,
      }),
    )
    expect(owner.text.toString()).toBe('base!')
    expect(await server.services.store.readText(ws.file.docName)).toBe('base!')
  })

  it('closes a bad token with 4401, an unknown document with 4404, and bad frames with 4400', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'x')
    const forged = yClient(server, ws.file.docName, 'not-a-token')
    await vi.waitFor(() => expect(forged.closeCodes).toContain(4401))
    forged.provider.destroy()
    const token = await tokenOf(ws.owner, ws.project.id)
    const missing = yClient(server, `${ws.project.id}/00000000-0000-4000-8000-000000000000`, token)
    await vi.waitFor(() => expect(missing.closeCodes).toContain(4404))
    missing.provider.destroy()

    const url = `${server.url.replace(/^http/, 'ws')}/yjs/${ws.file.docName}?token=${token}`
    const bad = (frame: Uint8Array | string) =>
      new Promise<{ code: number; reason: string }>((resolve) => {
        const socket = new WebSocket(url)
        socket.on('open', () => socket.send(frame))
        socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
      })
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 1, 7, 7, 7]))
    expect(await bad(encoding.toUint8Array(e))).toMatchObject({ code: 4400, reason: /malformed/ })
    expect(await bad(new Uint8Array([2, 0, 1, 65]))).toMatchObject({ code: 4400, reason: /unsupported/ })
    expect(await bad(new Uint8Array([]))).toMatchObject({ code: 4400 })
    expect(await bad('hello')).toMatchObject({ code: 4400, reason: /text frames/ })

    // The server still serves good clients.
    const good = yClient(server, ws.file.docName, token)
    await vi.waitFor(() => expect(good.provider.synced).toBe(true))
    expect(good.text.toString()).toBe('x')
  })
})
