import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { asc, eq } from 'drizzle-orm'
import { loadDocumentUpdates, type Database } from '@mimiverse/db'
import { documentUpdates } from '@mimiverse/db/schema'
import { quarantinedRows, UNAPPLICABLE_UPDATE } from '@mimiverse/db/testing'
import { CloseCode, CONTENT_FIELD } from '@mimiverse/shared'
import { syncUpdateFrame } from '../src/testing/frames'
import type { TestServer } from '../src/testing/index'
import { newServer, newWorkspace } from './fixtures'

const logOf = async (database: Database, docName: string) =>
  (
    await database.db
      .select({ seq: documentUpdates.seq, update: documentUpdates.update })
      .from(documentUpdates)
      .where(eq(documentUpdates.docName, docName))
      .orderBy(asc(documentUpdates.seq))
  ).map((r) => ({ seq: r.seq, bytes: Buffer.from(r.update).toString('hex') }))

const metrics = async (server: TestServer) => (await fetch(`${server.url}/metrics`)).text()

describe('updates that cannot be applied', () => {
  it('refuses one from an editor with 4400 before storing it; the document stays whole and syncs', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'v1')
    const editor = ws.peer(ws.owner)
    const reasons: string[] = []
    editor.socket.on('close', ({ event }: { event: { reason: string } }) => reasons.push(event.reason))
    await editor.synced()
    editor.text.insert(2, ' saved')
    await editor.acknowledged()

    editor.socket.send(syncUpdateFrame(ws.file.docName, UNAPPLICABLE_UPDATE))
    await vi.waitFor(() => expect(editor.closeCodes).toEqual([CloseCode.MalformedMessage]))
    expect(reasons).toEqual(['malformed message: update cannot be applied'])

    // Nothing of it was stored (a stored one would sit in the log, or in quarantine once a compaction met it);
    // the earlier edit was, and everyone reads it.
    const bad = Buffer.from(UNAPPLICABLE_UPDATE).toString('hex')
    expect((await logOf(server.database, ws.file.docName)).map((r) => r.bytes)).not.toContain(bad)
    expect(await quarantinedRows(server.database.db)).toEqual([])
    expect(await ws.read()).toBe('v1 saved')
    const next = ws.peer(await ws.member('editor', 'Bob'))
    await next.synced()
    expect(next.text.toString()).toBe('v1 saved')
    next.text.insert(0, '> ')
    await next.acknowledged()
    expect(await ws.read()).toBe('> v1 saved')
    expect(await metrics(server)).toMatch(/^mimi_collab_unapplicable_updates_total\{stage="frame"\} 1$/m)
  })

  it('closes the connection, logs and counts an update that passed the check and still throws on the document', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'v1')
    const attacker = ws.peer(ws.owner)
    const victim = ws.peer(await ws.member('editor', 'Bob'))
    await Promise.all([attacker.synced(), victim.synced()])
    // The victim's next edit, made as client 777 (its provider sends it below, as one frame).
    const offline = new Y.Doc()
    offline.clientID = 777
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(victim.doc))
    const before = Y.encodeStateVector(offline)
    offline.getText(CONTENT_FIELD).insert(2, ' lost')
    const edit = Y.encodeStateAsUpdate(offline, before)
    // Yjs does not authenticate client ids: this garbage-collected struct claims client 777's first clock. It is
    // well-formed and applies; client 777's own first insertion then throws inside Yjs.
    attacker.socket.send(syncUpdateFrame(ws.file.docName, new Uint8Array([1, 1, 0x89, 0x06, 0, 0, 1, 0])))
    const live = () => server.hocuspocus.documents.get(ws.file.docName)!
    await vi.waitFor(() => expect(live().store.clients.has(777)).toBe(true))
    victim.socket.send(syncUpdateFrame(ws.file.docName, edit))
    await vi.waitFor(() => expect(victim.closeCodes).toEqual([CloseCode.MalformedMessage]))
    expect(attacker.closeCodes).toEqual([])
    expect(await metrics(server)).toMatch(/^mimi_collab_unapplicable_updates_total\{stage="document"\} 1$/m)
    // The document stays usable; the stored row that threw is left out, and quarantined, by the next replay.
    attacker.text.insert(0, '> ')
    await attacker.acknowledged()
    expect(await ws.read()).toBe('> v1')
    expect((await quarantinedRows(server.database.db)).map((q) => q.reason)).toEqual([
      expect.stringMatching(/after the updates before it/),
    ])
  })

  it('loads, reads and compacts a document whose log holds a bad row between good ones; the row goes to quarantine', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base')
    const docName = ws.file.docName
    // Two edits on the stored state, logged around a bad row, as if stored before the frame check existed.
    const doc = new Y.Doc()
    for (const u of await loadDocumentUpdates(server.database.db, docName)) Y.applyUpdate(doc, u)
    const edits: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => edits.push(u))
    doc.getText(CONTENT_FIELD).insert(4, ' one')
    doc.getText(CONTENT_FIELD).insert(8, ' two')
    doc.destroy()
    const seqs: number[] = []
    for (const update of [edits[0]!, UNAPPLICABLE_UPDATE, edits[1]!]) {
      const [row] = await server.database.db.insert(documentUpdates).values({ docName, update }).returning()
      seqs.push(row!.seq)
    }

    const editor = ws.peer(ws.owner)
    await editor.synced()
    expect(editor.text.toString()).toBe('base one two')
    expect(await ws.read()).toBe('base one two')
    expect(await quarantinedRows(server.database.db)).toEqual([
      {
        docName,
        seq: seqs[1],
        update: UNAPPLICABLE_UPDATE,
        reason: expect.stringMatching(/empty delete range/),
      },
    ])
    expect((await logOf(server.database, docName)).map((r) => r.seq)).toEqual([seqs[0], seqs[2]])
    expect(await metrics(server)).toMatch(/^mimi_collab_quarantined_updates_total\{kind="update"\} 1$/m)

    // Compaction works again: the last client leaving folds the whole log into the snapshot.
    editor.text.insert(0, '# ')
    await editor.acknowledged()
    editor.destroy()
    await vi.waitFor(async () => expect(await server.services.store.logRows(docName)).toBe(0), {
      timeout: 10_000,
    })
    expect(await ws.read()).toBe('# base one two')
    expect(await quarantinedRows(server.database.db)).toHaveLength(1)
  })
})
