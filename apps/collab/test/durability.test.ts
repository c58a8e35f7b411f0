import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { newPostgresDatabase, newTempDir, testDatabaseUrl } from '@mimiverse/db/testing'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { apiClient, connectPeer, signUp, spawnServer, type ServerProcess } from '../src/testing/index'
import { onCleanup } from './fixtures'

const TYPED_PER_PEER = 200

/** Where the server stores documents: the embedded database, or a fresh database on the real server (CI). */
const stores: [string, () => Promise<Record<string, string>>][] = [['embedded', async () => ({})]]
if (testDatabaseUrl) {
  stores.push([
    'PostgreSQL server',
    async () => {
      const pg = await newPostgresDatabase()
      onCleanup(pg.close)
      return { DATABASE_URL: pg.url }
    },
  ])
}

/**
 * A server process on a fresh data folder, with an owner, a project and one file. The long store debounce means
 * nothing is compacted before the test stops the process: only the write-ahead log can save the edits.
 */
async function spawnWorkspace(path: string, content: string, storage: Record<string, string> = {}) {
  const dir = await newTempDir()
  onCleanup(dir.remove)
  const env = { DATA_DIR: dir.path, STORE_DEBOUNCE_MS: '60000', STORE_MAX_DEBOUNCE_MS: '600000', ...storage }
  const start = async () => {
    const server = await spawnServer(env)
    onCleanup(() => server.child.kill('SIGKILL'))
    return server
  }
  const server = await start()
  const owner = await signUp(server.url, 'Owner')
  const project = await owner.api.projects.create.mutate({ name: 'durable' })
  const file = await owner.api.files.create.mutate({ projectId: project.id, path, content })
  const token = (await owner.api.collab.token.mutate({ projectId: project.id })).token
  const peer = () => {
    const p = connectPeer({ baseUrl: server.url, docName: file.docName, token })
    onCleanup(() => p.destroy())
    return p
  }
  const readAfterRestart = async (): Promise<{ text: string; restarted: ServerProcess }> => {
    const restarted = await start()
    const api = apiClient(restarted.url, owner.token)
    return { text: (await api.files.read.query({ projectId: project.id, path })).content, restarted }
  }
  const newFile = (name: string) =>
    owner.api.files.create.mutate({ projectId: project.id, path: name, content: '' })
  const peerOn = (docName: string) => {
    const p = connectPeer({ baseUrl: server.url, docName, token })
    onCleanup(() => p.destroy())
    return p
  }
  const readAllAfterRestart = async (paths: string[]) => {
    const restarted = await start()
    const api = apiClient(restarted.url, owner.token)
    return Promise.all(
      paths.map(async (p) => (await api.files.read.query({ projectId: project.id, path: p })).content),
    )
  }
  return { server, file, token, peer, readAfterRestart, newFile, peerOn, readAllAfterRestart }
}

describe.each(stores)('durability (%s)', (_store, storage) => {
  it('a server killed with SIGKILL right after acknowledging serves every acknowledged edit when restarted', async () => {
    const ws = await spawnWorkspace('notes.md', 'seed\n', await storage())
    const peers = [ws.peer(), ws.peer(), ws.peer()]
    await Promise.all(peers.map((p) => p.synced()))
    for (let n = 0; n < TYPED_PER_PEER; n++) {
      peers.forEach((p, i) => p.text.insert(p.text.length, String.fromCharCode(97 + i)))
    }
    await Promise.all(peers.map((p) => p.acknowledged()))
    ws.server.child.kill('SIGKILL')
    await ws.server.exited
    peers.forEach((p) => p.destroy())

    // Every acknowledged update, from every peer, merged.
    const expected = new Y.Doc()
    for (const p of peers) Y.applyUpdate(expected, Y.encodeStateAsUpdate(p.doc))
    const expectedText = expected.getText(CONTENT_FIELD).toString()
    expect(expectedText).toHaveLength('seed\n'.length + 3 * TYPED_PER_PEER)

    const { text, restarted } = await ws.readAfterRestart()
    expect(text).toBe(expectedText)
    // And a client connecting to the restarted server gets the same document.
    const late = connectPeer({ baseUrl: restarted.url, docName: ws.file.docName, token: ws.token })
    onCleanup(() => late.destroy())
    await late.synced()
    await vi.waitFor(() => expect(late.text.toString()).toBe(expectedText))
  })
})

describe('durability', () => {
  it('shuts down in order on SIGTERM while people type: closes clients, drains appends, compacts, logs nothing, exits 0', async () => {
    const ws = await spawnWorkspace('a.txt', '')
    const paths = ['b.txt', 'c.txt', 'd.txt']
    const files = await Promise.all(paths.map((p) => ws.newFile(p)))
    const peers = files.map((f) => ws.peerOn(f.docName))
    await Promise.all(peers.map((p) => p.synced()))
    const type = (n: number) => {
      for (let i = 0; i < n; i++) peers.forEach((p) => p.text.insert(p.text.length, 'x'))
    }
    type(50)
    await Promise.all(peers.map((p) => p.acknowledged()))
    const acknowledged = peers.map((p) => p.text.toString())
    // Updates still in flight when the signal arrives: the shutdown must drain them, not race them.
    type(50)
    ws.server.child.kill('SIGTERM')
    expect(await ws.server.exited).toBe(0)
    // LOG_LEVEL is warn: any line at all is a warning or an error.
    expect(
      ws.server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{')),
    ).toEqual([])
    await vi.waitFor(() => expect(peers[0]!.closeCodes).toContain(1001))
    const typed = peers.map((p) => p.text.toString())
    peers.forEach((p) => p.destroy())
    const stored = await ws.readAllAfterRestart(paths)
    stored.forEach((text, i) => {
      expect(text.startsWith(acknowledged[i]!)).toBe(true)
      expect(typed[i]!.startsWith(text)).toBe(true)
    })
  })
})
