import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { sql } from 'drizzle-orm'
import type { Database } from '@mimiverse/db'
import { newTestDatabase, UNAPPLICABLE_UPDATE } from '@mimiverse/db/testing'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { DocStore } from './doc-store'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

/** A store that records what it quarantined (metrics) and logged at warn and above. */
async function newRecordingStore() {
  database = await newTestDatabase()
  const kinds: string[] = []
  const logged: { level: string; msg: string; doc?: string; seq?: number }[] = []
  const log = createLogger('warn', {}, (line) => logged.push(JSON.parse(line) as (typeof logged)[number]))
  const observer = {
    appended: () => {},
    compacted: () => {},
    quarantined: (kind: string) => kinds.push(kind),
  }
  return { store: new DocStore(database.db, log, { observer }), db: database.db, kinds, logged }
}

/** Logs two edits of `docName` around an update that cannot be applied; returns the seq of the bad row. */
async function logAroundBadRow(store: DocStore, docName: string): Promise<number> {
  const doc = new Y.Doc()
  const edits: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => edits.push(u))
  doc.getText(CONTENT_FIELD).insert(0, 'one')
  doc.getText(CONTENT_FIELD).insert(3, ' two')
  for (const update of [edits[0]!, UNAPPLICABLE_UPDATE, edits[1]!]) await store.append(docName, update)
  const result = await database!.db.execute(
    sql`select seq from document_updates where doc_name = ${docName} and "update" = ${UNAPPLICABLE_UPDATE}::bytea`,
  )
  return Number((result as { rows: { seq: number }[] }).rows[0]?.seq)
}

describe('DocStore and stored updates that cannot be applied', () => {
  it('moves them to quarantine on load, read and compaction, and logs and counts each once', async () => {
    const { store, kinds, logged } = await newRecordingStore()
    const seqs = [await logAroundBadRow(store, 'load'), await logAroundBadRow(store, 'read')]
    await logAroundBadRow(store, 'fold')

    const doc = new Y.Doc()
    await store.loadInto(doc, 'load')
    expect(doc.getText(CONTENT_FIELD).toString()).toBe('one two')
    expect(await store.readText('read')).toBe('one two')
    expect(await store.compact('fold')).toBe(3)
    expect(await store.readText('fold')).toBe('one two')
    // A second replay finds nothing left to move.
    expect(await store.readText('load')).toBe('one two')

    expect(kinds).toEqual(['update', 'update', 'update'])
    expect(logged.slice(0, 2)).toEqual([
      expect.objectContaining({ level: 'warn', doc: 'load', seq: seqs[0] }),
      expect.objectContaining({ level: 'warn', doc: 'read', seq: seqs[1] }),
    ])
    expect(logged).toHaveLength(3)
    expect(await store.load('load')).toHaveLength(2)
  })

  it('quarantines a bad snapshot another node stored instead of applying it to the live document', async () => {
    const { store, db, kinds, logged } = await newRecordingStore()
    const live = new Y.Doc()
    await store.loadInto(live, 'doc')
    live.on('update', (u: Uint8Array) => void store.append('doc', u))
    live.getText(CONTENT_FIELD).insert(0, 'live text')
    await store.flush()
    await db.execute(
      sql`insert into document_snapshots (doc_name, state) values ('doc', ${UNAPPLICABLE_UPDATE}::bytea)`,
    )
    expect(await store.compactFromMemory('doc', live)).toBe(1)
    expect(live.getText(CONTENT_FIELD).toString()).toBe('live text')
    expect(await store.readText('doc')).toBe('live text')
    expect(kinds).toEqual(['snapshot'])
    expect(logged).toEqual([expect.objectContaining({ level: 'error', doc: 'doc' })])
  })
})
