import { describe, expect, it, vi } from 'vitest'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { CloseCode } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { connectPeer, type Peer, type TestServer } from '../src/testing/index'
import { MessageType } from '../src/protocol/frame'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/** A raw socket to `/collab` that sends nothing unless told to. */
function openRaw(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/collab`, { headers })
  onCleanup(() => socket.terminate())
  const opened = new Promise<'open' | number>((resolve) => {
    socket.once('open', () => resolve('open'))
    // An upgrade refused with an HTTP status.
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
  })
  socket.on('error', () => {})
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return { socket, opened, closed }
}

function frame(docName: string, type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, docName)
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}

/** A frame Hocuspocus queues until the document is authenticated. */
const stateless = (docName: string, size: number) =>
  frame(docName, MessageType.Stateless, (e) => encoding.writeVarString(e, 'x'.repeat(size)))

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1])
}

/** The editor still edits, acknowledged and stored: the limit touched nobody else. */
async function stillEdits(editor: Peer, read: () => Promise<string>) {
  editor.text.insert(editor.text.length, '+')
  await editor.acknowledged()
  expect(await read()).toMatch(/\+$/)
  expect(editor.closeCodes).toEqual([])
}

describe('before authentication', () => {
  it('closes a socket that has no Auth accepted within the deadline with 4408', async () => {
    const server = await newServer({ env: { COLLAB_AUTH_TIMEOUT_MS: '1500' } })
    const ws = await newWorkspace(server)
    const { token } = await ws.owner.api.collab.token.mutate({ projectId: ws.project.id })
    const editor = connectPeer({ baseUrl: server.url, docName: ws.file.docName, token })
    onCleanup(() => editor.destroy())
    await editor.synced()

    const idle = openRaw(server.url)
    expect(await idle.opened).toBe('open')
    expect(await idle.closed).toEqual({
      code: CloseCode.AuthenticationTimeout,
      reason: 'no authentication in time',
    })
    // The editor's socket, opened earlier, is past its deadline too: authenticated, it stays.
    await stillEdits(editor, ws.read)
    expect(await metric(server, 'mimi_collab_socket_limits_total{limit="auth-timeout"}')).toBe(1)
  })

  it('refuses the upgrade past the per-address cap (the proxy-given address), and the others keep working', async () => {
    const server = await newServer({
      env: { COLLAB_MAX_SOCKETS_PER_ADDRESS: '2', TRUST_PROXY: 'true', COLLAB_AUTH_TIMEOUT_MS: '60000' },
    })
    const ws = await newWorkspace(server)
    const editor = ws.peer(ws.owner)
    await editor.synced()

    const fromA = { 'x-forwarded-for': '198.51.100.1' }
    const first = openRaw(server.url, fromA)
    const second = openRaw(server.url, fromA)
    expect([await first.opened, await second.opened]).toEqual(['open', 'open'])
    expect(await openRaw(server.url, fromA).opened).toBe(429)
    // Another address, and the editor (no proxy header: the peer address) are not affected.
    expect(await openRaw(server.url, { 'x-forwarded-for': '198.51.100.2' }).opened).toBe('open')
    await stillEdits(editor, ws.read)
    expect([first.socket.readyState, second.socket.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN])

    // A closed socket frees its slot.
    first.socket.close()
    await first.closed
    await vi.waitFor(async () => expect(await openRaw(server.url, fromA).opened).toBe('open'))
    expect(await metric(server, 'mimi_collab_socket_limits_total{limit="address"}')).toBeGreaterThanOrEqual(1)
  })

  it('bounds the bytes queued before authentication on the whole node; authenticated edits still flow', async () => {
    const server = await newServer({
      env: {
        COLLAB_MAX_MESSAGE_BYTES: '4096',
        COLLAB_MAX_UNAUTHENTICATED_BYTES: '8192',
        COLLAB_AUTH_TIMEOUT_MS: '60000',
      },
    })
    const ws = await newWorkspace(server)
    const editor = ws.peer(ws.owner)
    await editor.synced()
    const queued = () => metric(server, 'mimi_collab_unauthenticated_bytes')

    // Each socket stays under its own bound (4096); together they pass the node's.
    const data = stateless(ws.file.docName, 3000)
    const sockets = [openRaw(server.url), openRaw(server.url), openRaw(server.url)]
    for (const [i, s] of sockets.slice(0, 2).entries()) {
      await s.opened
      s.socket.send(data)
      await vi.waitFor(async () => expect(await queued()).toBe((i + 1) * data.byteLength))
    }
    const third = sockets[2]!
    await third.opened
    third.socket.send(data)
    expect(await third.closed).toEqual({
      code: CloseCode.TooMany,
      reason: 'server busy: too much data before authentication',
    })
    await vi.waitFor(async () => expect(await queued()).toBe(2 * data.byteLength))
    await stillEdits(editor, ws.read)

    // A closed socket's queue is released.
    sockets[0]!.socket.close()
    await vi.waitFor(async () => expect(await queued()).toBe(data.byteLength))
    expect(sockets[1]!.socket.readyState).toBe(WebSocket.OPEN)
  })
})

describe('per-user caps', () => {
  it('refuse a document past the open documents of one user with 4429, until one closes', async () => {
    const server = await newServer({ env: { COLLAB_MAX_DOCUMENTS_PER_USER: '2' } })
    const ws = await newWorkspace(server)
    const files = await Promise.all(
      ['a.ts', 'b.ts'].map((path) => ws.owner.api.files.create.mutate({ projectId: ws.project.id, path })),
    )
    const [first, second] = [ws.peer(ws.owner), ws.peer(ws.owner, files[0]!.docName)]
    await Promise.all([first.synced(), second.synced()])
    const third = ws.peer(ws.owner, files[1]!.docName)
    await vi.waitFor(() => expect(third.closeCodes).toContain(CloseCode.TooMany))
    expect(third.refusals[0]).toBe('too many open documents for this user')
    // Another user is not limited by the owner's documents.
    const bob = await ws.member('editor', 'Bob')
    await ws.peer(bob, files[1]!.docName).synced()

    // The provider retries; once a document of the owner closes, it gets in.
    first.destroy()
    await third.synced()
    await stillEdits(second, () => ws.read(files[0]!.path))
  })

  it('refuse a socket past the sockets of one user with 4429', async () => {
    const server = await newServer({ env: { COLLAB_MAX_SOCKETS_PER_USER: '2' } })
    const ws = await newWorkspace(server)
    const open = [ws.peer(ws.owner), ws.peer(ws.owner)]
    await Promise.all(open.map((p) => p.synced()))
    const third = ws.peer(ws.owner)
    await vi.waitFor(() => expect(third.closeCodes).toContain(CloseCode.TooMany))
    expect(third.refusals[0]).toBe('too many connections for this user')
    open[0]!.destroy()
    await third.synced()
  })
})

describe('the workspace mirror', () => {
  it("is not held to a user's caps: one socket per project, every document of its project", async () => {
    const caps = { COLLAB_MAX_SOCKETS_PER_USER: '1', COLLAB_MAX_DOCUMENTS_PER_USER: '1' }
    const server = await newServer({ env: caps })
    const [ws, other] = [await newWorkspace(server), await newWorkspace(server)]
    const files = await Promise.all(
      ['a.ts', 'b.ts'].map((path) => ws.owner.api.files.create.mutate({ projectId: ws.project.id, path })),
    )
    // More sockets (two projects) and documents (three files) than any user may hold.
    const mirrors = [ws.mirror(), ...files.map((f) => ws.mirror(f.docName)), other.mirror()]
    await Promise.all(mirrors.map((m) => m.synced()))
    const owner = ws.peer(ws.owner)
    await owner.synced()
    // The caps still hold for people: the owner's second document is refused.
    const second = ws.peer(ws.owner, files[0]!.docName)
    await vi.waitFor(() => expect(second.closeCodes).toContain(CloseCode.TooMany))
    second.destroy()
    await stillEdits(mirrors[2]!, () => ws.read(files[1]!.path))
    expect(mirrors.flatMap((m) => m.closeCodes)).toEqual([])
  })
})

describe('logs strangers can cause', () => {
  it('are cut to 100 characters of client text and limited per second (COLLAB_STRANGER_LOG_PER_SECOND), then summarized', async () => {
    const lines: Record<string, unknown>[] = []
    const log = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>))
    const server = await newServer({ log, env: { COLLAB_STRANGER_LOG_PER_SECOND: '2' } })
    // Each socket sends an Auth with a forged token for a 100,000-character document name.
    const auth = frame('d'.repeat(100_000), MessageType.Auth, (e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarString(e, 'forged.token')
    })
    const sockets = Array.from({ length: 60 }, () => openRaw(server.url))
    for (const s of sockets) void s.opened.then(() => s.socket.send(auth))
    for (const s of sockets) expect((await s.closed).code).toBe(CloseCode.Unauthorized)

    const refused = () => lines.filter((l) => l.msg === 'collab connection refused')
    const suppressed = () =>
      lines.filter((l) => l.msg === 'log lines suppressed').reduce((n, l) => n + Number(l.suppressed), 0)
    // Every refusal is either logged or counted in a summary line once its second is over.
    await vi.waitFor(() => expect(refused().length + suppressed()).toBe(60), { timeout: 5000 })
    expect(suppressed()).toBeGreaterThan(0)
    for (const l of refused()) expect(l.doc).toBe(`${'d'.repeat(100)}… (100000 characters)`)
    expect(JSON.stringify(lines).length).toBeLessThan(20_000)
  })
})
