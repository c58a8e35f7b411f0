import { describe, expect, it, vi } from 'vitest'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { sql } from 'drizzle-orm'
import { CloseCode, MAX_PATH_BYTES } from '@mimiverse/shared'
import { errorCodeOf } from '../src/testing/index'
import { MessageType, SyncType } from '../src/protocol/frame'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/** Opens a raw socket, sends `frame`, and resolves with the close code and reason. */
function sendRaw(url: string, ...frames: (Uint8Array | string)[]): Promise<{ code: number; reason: string }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/collab`)
  onCleanup(() => socket.terminate())
  return new Promise((resolve, reject) => {
    socket.on('open', () => frames.forEach((f) => socket.send(f)))
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    socket.on('error', reject)
  })
}

function frame(docName: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, docName)
  write(e)
  return encoding.toUint8Array(e)
}

describe('bad input', () => {
  it('closes only the offending connection on malformed or oversized frames; the document and others are unharmed', async () => {
    const server = await newServer({ env: { COLLAB_MAX_MESSAGE_BYTES: '4096' } })
    const ws = await newWorkspace(server, 'intact')
    const editor = ws.peer(ws.owner)
    await editor.synced()
    const doc = ws.file.docName

    const cases: [string, Uint8Array | string, number, RegExp][] = [
      [
        'garbage bytes',
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        4400,
        /malformed/,
      ],
      ['a text frame', 'hello', 4400, /text frames/],
      [
        'an unknown message type',
        frame(doc, (e) => encoding.writeVarUint(e, 99)),
        4400,
        /unsupported message type/,
      ],
      [
        'a sync update whose Yjs payload does not decode',
        frame(doc, (e) => {
          encoding.writeVarUint(e, MessageType.Sync)
          encoding.writeVarUint(e, SyncType.Update)
          encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 1, 7, 7, 7]))
        }),
        4400,
        /malformed/,
      ],
      [
        'trailing bytes',
        frame(doc, (e) => {
          encoding.writeVarUint(e, MessageType.QueryAwareness)
          encoding.writeVarUint(e, 1)
        }),
        4400,
        /trailing/,
      ],
      [
        // JSON.parse quotes its input in its error, and these characters take 3 bytes each: a reason built from
        // it would pass the protocol's 123-byte limit, and `ws` throws on that (it used to crash the server).
        'awareness whose invalid JSON is full of multi-byte characters',
        frame(doc, (e) => {
          const awareness = encoding.createEncoder()
          encoding.writeVarUint(awareness, 1)
          encoding.writeVarUint(awareness, 1)
          encoding.writeVarUint(awareness, 1)
          encoding.writeVarString(awareness, `["${'一'.repeat(60)}",${'一'.repeat(60)}`)
          encoding.writeVarUint(e, MessageType.Awareness)
          encoding.writeVarUint8Array(e, encoding.toUint8Array(awareness))
        }),
        4400,
        /^malformed message: undecodable frame$/,
      ],
      ['an oversized frame', new Uint8Array(5000), CloseCode.MessageTooBig, /.*/],
    ]
    for (const [what, data, code, reason] of cases) {
      const closed = await sendRaw(server.url, data)
      expect(closed.code, what).toBe(code)
      expect(closed.reason, what).toMatch(reason)
    }

    // The editor's connection was never touched and the server still serves it.
    editor.text.insert(6, '!')
    await editor.acknowledged()
    expect(await ws.read()).toBe('intact!')
    expect(editor.closeCodes).toEqual([])
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^mimi_collab_malformed_frames_total 6$/m)
  })

  it('closes a socket that streams data for documents it never authenticates', async () => {
    const server = await newServer({ env: { COLLAB_MAX_MESSAGE_BYTES: '4096' } })
    const ws = await newWorkspace(server)
    // Valid frames that Hocuspocus would queue, unbounded, until an Auth message for the document arrives.
    const stateless = frame(ws.file.docName, (e) => {
      encoding.writeVarUint(e, MessageType.Stateless)
      encoding.writeVarString(e, 'x'.repeat(1000))
    })
    const closed = await sendRaw(server.url, ...Array.from({ length: 5 }, () => stateless))
    expect(closed).toEqual({ code: 4400, reason: 'too much data before authentication' })
  })

  it('refuses invalid file paths with a clear error', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const create = (path: string) => ws.owner.api.files.create.mutate({ projectId: ws.project.id, path })
    for (const path of [
      '../escape.ts',
      '/etc/passwd',
      'a/./b',
      'nul\u0000.ts',
      'x'.repeat(MAX_PATH_BYTES + 1),
      '',
      'dir/',
    ]) {
      expect(await errorCodeOf(create(path)), JSON.stringify(path)).toBe('BAD_REQUEST')
    }
    await expect(create('../escape.ts')).rejects.toThrow(/normalized/)
    expect((await ws.owner.api.files.list.query({ projectId: ws.project.id })).map((f) => f.path)).toEqual([
      'src/main.ts',
    ])
  })
})

describe('storage failure', () => {
  it('does not acknowledge or apply an update the database refused; the client resends it once storage is back', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'v1')
    const bob = await ws.member('editor', 'Bob')
    const writer = ws.peer(ws.owner)
    const reader = ws.peer(bob)
    await Promise.all([writer.synced(), reader.synced()])

    await server.database.db.execute(sql`alter table document_updates rename to document_updates_offline`)
    writer.text.insert(2, ' lost?')
    await vi.waitFor(() => expect(writer.closeCodes).toContain(CloseCode.StorageUnavailable))
    expect(writer.provider.hasUnsyncedChanges).toBe(true)
    expect(server.hocuspocus.documents.get(ws.file.docName)?.getText('content').toString()).toBe('v1')
    expect(reader.text.toString()).toBe('v1')

    await server.database.db.execute(sql`alter table document_updates_offline rename to document_updates`)
    await writer.acknowledged()
    await vi.waitFor(() => expect(reader.text.toString()).toBe('v1 lost?'))
    expect(await ws.read()).toBe('v1 lost?')
  })
})
