import { describe, expect, it, vi } from 'vitest'
import * as decoding from 'lib0/decoding'
import { migrate, openDatabase } from '@mimiverse/db'
import { testServers } from '@mimiverse/db/testing'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/**
 * The embedded driver (PGlite), and the production driver (`pg`) on PGlite over the wire protocol and, when
 * `TEST_DATABASE_URL` is set, on a fresh database of a real PostgreSQL server.
 */
const drivers: Record<string, () => Promise<Awaited<ReturnType<typeof openDatabase>> | undefined>> = {
  pglite: async () => undefined,
}
for (const [name, newPgServer] of testServers()) {
  drivers[`pg on ${name}`] = async () => {
    const pgServer = await newPgServer()
    onCleanup(pgServer.close)
    const database = await openDatabase({ url: pgServer.url, poolSize: 4 })
    onCleanup(() => database.close())
    await migrate(database)
    return database
  }
}

describe.each(Object.keys(drivers))('editing together (%s driver)', (driver) => {
  it('syncs edits between two editors and stores them before acknowledging', async () => {
    const server = await newServer({ database: await drivers[driver]!() })
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const a = ws.peer(ws.owner)
    const b = ws.peer(bob)
    await Promise.all([a.synced(), b.synced()])
    expect(a.text.toString()).toBe('hello')
    a.text.insert(5, ' world')
    b.text.insert(0, '// ')
    await vi.waitFor(() => expect(b.text.toString()).toBe('// hello world'))
    await Promise.all([a.acknowledged(), b.acknowledged()])
    // Acknowledged means logged: the database already holds it, before any debounced store.
    expect(await server.services.store.readText(ws.file.docName)).toBe('// hello world')
    expect(await ws.read()).toBe('// hello world')
  })

  it('compacts the log into a snapshot once it is long, without changing the text', async () => {
    const server = await newServer({
      database: await drivers[driver]!(),
      env: { STORE_DEBOUNCE_MS: '0', STORE_COMPACT_MIN_ROWS: '20' },
    })
    const ws = await newWorkspace(server, 'x')
    const a = ws.peer(ws.owner)
    await a.synced()
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, String(i % 10))
    await a.acknowledged()
    // 50 updates were logged; rows committed after the last compaction stay while the log is short.
    await vi.waitFor(async () =>
      expect(await server.services.store.logRows(ws.file.docName)).toBeLessThan(20),
    )
    expect(await ws.read()).toBe(a.text.toString())
    a.destroy()
    await vi.waitFor(async () => expect(await server.services.store.load(ws.file.docName)).toHaveLength(1))
    expect(await ws.read()).toBe(`x${'0123456789'.repeat(5)}`)
  })

  it('while clients type, leaves a short log alone; compacts when the last client leaves', async () => {
    const server = await newServer({ database: await drivers[driver]!(), env: { STORE_DEBOUNCE_MS: '0' } })
    const ws = await newWorkspace(server, '')
    const a = ws.peer(ws.owner)
    await a.synced()
    a.text.insert(0, 'short edit')
    await a.acknowledged()
    expect(await server.services.store.logRows(ws.file.docName)).toBe(1)
    a.destroy()
    await vi.waitFor(async () => expect(await server.services.store.logRows(ws.file.docName)).toBe(0))
    expect(await ws.read()).toBe('short edit')
  })
})

describe('update broadcast', () => {
  it('sends an update to everyone in the document but the client it came from', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const a = ws.peer(ws.owner)
    const b = ws.peer(bob)
    await Promise.all([a.synced(), b.synced()])
    const updatesReceived = (peer: typeof a) => {
      const seen = { count: 0 }
      peer.socket.webSocket?.addEventListener('message', (event: { data: unknown }) => {
        const d = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer))
        decoding.readVarString(d)
        // Sync (0) carrying an Update (2), as y-protocols numbers them.
        if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 2) seen.count += 1
      })
      return seen
    }
    const [toA, toB] = [updatesReceived(a), updatesReceived(b)]
    a.text.insert(5, '!')
    await vi.waitFor(() => expect(b.text.toString()).toBe('hello!'))
    await a.acknowledged()
    b.text.insert(0, '>')
    await vi.waitFor(() => expect(a.text.toString()).toBe('>hello!'))
    await b.acknowledged()
    expect([toA.count, toB.count]).toEqual([1, 1])
  })
})
