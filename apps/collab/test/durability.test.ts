import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { newTempDir } from '@mimiverse/db/testing'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { apiClient, connectPeer, signUp, spawnServer, type Peer } from '../src/testing/index'
import { onCleanup } from './fixtures'

const TYPED_PER_PEER = 200

describe('durability', () => {
  it('a server killed with SIGKILL right after acknowledging serves every acknowledged edit when restarted', async () => {
    const dir = await newTempDir()
    onCleanup(dir.remove)
    // A long store debounce: nothing is compacted before the kill, so only the write-ahead log can save the edits.
    const env = { DATA_DIR: dir.path, STORE_DEBOUNCE_MS: '60000', STORE_MAX_DEBOUNCE_MS: '600000' }
    const first = await spawnServer(env)
    onCleanup(() => first.child.kill('SIGKILL'))
    const owner = await signUp(first.url, 'Owner')
    const project = await owner.api.projects.create.mutate({ name: 'durable' })
    const file = await owner.api.files.create.mutate({
      projectId: project.id,
      path: 'notes.md',
      content: 'seed\n',
    })
    const token = (await owner.api.collab.token.mutate({ projectId: project.id })).token
    const peers: Peer[] = [0, 1, 2].map(() =>
      connectPeer({ baseUrl: first.url, docName: file.docName, token }),
    )
    onCleanup(() => peers.forEach((p) => p.destroy()))
    await Promise.all(peers.map((p) => p.synced()))

    for (let n = 0; n < TYPED_PER_PEER; n++) {
      peers.forEach((p, i) => p.text.insert(p.text.length, String.fromCharCode(97 + i)))
    }
    await Promise.all(peers.map((p) => p.acknowledged()))
    first.child.kill('SIGKILL')
    await first.exited
    peers.forEach((p) => p.destroy())

    // Every acknowledged update, from every peer, merged.
    const expected = new Y.Doc()
    for (const p of peers) Y.applyUpdate(expected, Y.encodeStateAsUpdate(p.doc))
    const expectedText = expected.getText(CONTENT_FIELD).toString()
    expect(expectedText).toHaveLength('seed\n'.length + 3 * TYPED_PER_PEER)

    const second = await spawnServer(env)
    onCleanup(() => second.child.kill('SIGKILL'))
    const api = apiClient(second.url, owner.token)
    expect((await api.files.read.query({ projectId: project.id, path: 'notes.md' })).content).toBe(
      expectedText,
    )
    // And a client connecting to the restarted server gets the same document.
    const late = connectPeer({ baseUrl: second.url, docName: file.docName, token })
    onCleanup(() => late.destroy())
    await late.synced()
    await vi.waitFor(() => expect(late.text.toString()).toBe(expectedText))
  })

  it('shuts down gracefully on SIGTERM: closes clients, compacts open documents, exits 0', async () => {
    const dir = await newTempDir()
    onCleanup(dir.remove)
    const env = { DATA_DIR: dir.path, STORE_DEBOUNCE_MS: '60000', STORE_MAX_DEBOUNCE_MS: '600000' }
    const server = await spawnServer(env)
    onCleanup(() => server.child.kill('SIGKILL'))
    const owner = await signUp(server.url, 'Owner')
    const project = await owner.api.projects.create.mutate({ name: 'graceful' })
    const file = await owner.api.files.create.mutate({ projectId: project.id, path: 'a.txt', content: '' })
    const token = (await owner.api.collab.token.mutate({ projectId: project.id })).token
    const peer = connectPeer({ baseUrl: server.url, docName: file.docName, token })
    onCleanup(() => peer.destroy())
    await peer.synced()
    peer.text.insert(0, 'saved on the way out')
    await peer.acknowledged()
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    await vi.waitFor(() => expect(peer.closeCodes).toContain(1001))
    peer.destroy()

    const again = await spawnServer(env)
    onCleanup(() => again.child.kill('SIGKILL'))
    const api = apiClient(again.url, owner.token)
    expect((await api.files.read.query({ projectId: project.id, path: 'a.txt' })).content).toBe(
      'saved on the way out',
    )
  })
})
