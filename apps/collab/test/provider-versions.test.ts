import { describe, expect, it, vi } from 'vitest'
import {
  HocuspocusProvider as ProviderV4,
  HocuspocusProviderWebsocket as ProviderWebsocketV4,
} from '@hocuspocus/provider-v4'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { newServer, newWorkspace, onCleanup } from './fixtures'

describe('Hocuspocus provider versions on /collab', () => {
  it('a 3.x and a 4.x provider edit one document together, durably, and see each other', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const v3 = ws.peer(ws.owner)

    // 4.x appends its version to the Auth frame; that frame must be accepted, not closed with 4400.
    const { token } = await bob.api.collab.token.mutate({ projectId: ws.project.id })
    const closeCodes: number[] = []
    const socket = new ProviderWebsocketV4({
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      WebSocketPolyfill: WebSocket,
      delay: 50,
      minDelay: 50,
      maxDelay: 500,
      onClose: ({ event }) => void closeCodes.push(event.code),
    })
    const doc = new Y.Doc()
    const v4 = new ProviderV4({ websocketProvider: socket, name: ws.file.docName, document: doc, token })
    // Given a shared socket, a provider waits to be attached (as in 3.x).
    v4.attach()
    onCleanup(() => {
      v4.destroy()
      socket.destroy()
    })
    v4.setAwarenessField('user', { id: bob.id, name: bob.name })
    const text = doc.getText(CONTENT_FIELD)

    await v3.synced()
    await vi.waitFor(() => expect(v4.isSynced).toBe(true))
    expect(text.toString()).toBe('hello')

    text.insert(5, ' from 4.x')
    v3.text.insert(0, '3.x says ')
    await vi.waitFor(() => expect(text.toString()).toBe('3.x says hello from 4.x'))
    await vi.waitFor(() => expect(v3.text.toString()).toBe('3.x says hello from 4.x'))
    await vi.waitFor(() => expect(v4.hasUnsyncedChanges).toBe(false))
    await v3.acknowledged()
    // Acknowledged means stored, for either version.
    expect(await server.services.store.readText(ws.file.docName)).toBe('3.x says hello from 4.x')

    // Presence flows both ways.
    await vi.waitFor(() =>
      expect(v3.provider.awareness!.getStates().get(doc.clientID)?.user).toMatchObject({ name: bob.name }),
    )
    await vi.waitFor(() =>
      expect(v4.awareness!.getStates().get(v3.doc.clientID)?.user).toMatchObject({ name: ws.owner.name }),
    )
    expect(closeCodes).toEqual([])
  })
})
