import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { Database } from '../client'
import { documentSnapshots, documentUpdates } from '../schema/documents'
import { newTestDatabase, UNAPPLICABLE_UPDATE } from '../testing'
import { loadDocumentUpdates, readDocumentText, readDocumentTexts } from './documents'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

describe('document queries', () => {
  it('reads the snapshot plus the logged updates after it, and empty text for an unknown document', async () => {
    database = await newTestDatabase()
    const doc = new Y.Doc()
    const text = doc.getText(CONTENT_FIELD)
    text.insert(0, 'hello')
    const snapshot = Y.encodeStateAsUpdate(doc)
    await database.db.insert(documentSnapshots).values({ docName: 'd', state: snapshot })
    // Later edits that are only in the log (not compacted yet), as the collab server writes them.
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    text.insert(5, ' world')
    text.delete(0, 1)
    for (const update of updates) await database.db.insert(documentUpdates).values({ docName: 'd', update })
    doc.destroy()
    expect(await readDocumentText(database.db, 'd')).toBe('ello world')
    expect(await readDocumentText(database.db, 'missing')).toBe('')
    // Snapshot first, then the log in the order it was written.
    expect(await loadDocumentUpdates(database.db, 'd')).toEqual([snapshot, ...updates])
    expect(await loadDocumentUpdates(database.db, 'missing')).toEqual([])
    // The batch read gives the same texts.
    const other = new Y.Doc()
    other.getText(CONTENT_FIELD).insert(0, 'other')
    await database.db.insert(documentSnapshots).values({ docName: 'e', state: Y.encodeStateAsUpdate(other) })
    other.destroy()
    expect(await readDocumentTexts(database.db, ['d', 'e', 'missing'])).toEqual(
      new Map([
        ['d', 'ello world'],
        ['e', 'other'],
        ['missing', ''],
      ]),
    )
  })
})

describe('reading a document whose log holds an update that cannot be applied', () => {
  it('leaves the row out, reports it, and reads every other edit (one document or a batch)', async () => {
    database = await newTestDatabase()
    const doc = new Y.Doc()
    const edits: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => edits.push(u))
    doc.getText(CONTENT_FIELD).insert(0, 'good')
    doc.getText(CONTENT_FIELD).insert(4, ' edits')
    doc.destroy()
    for (const update of [edits[0]!, UNAPPLICABLE_UPDATE, edits[1]!]) {
      await database.db.insert(documentUpdates).values({ docName: 'd', update })
    }
    const [, bad] = await database.db
      .select({ seq: documentUpdates.seq })
      .from(documentUpdates)
      .orderBy(documentUpdates.seq)
    const reported: [string, (number | undefined)[]][] = []
    const onSkipped = (name: string, skipped: { seq?: number }[]) =>
      reported.push([name, skipped.map((s) => s.seq)])
    expect(await readDocumentText(database.db, 'd', { onSkipped })).toBe('good edits')
    expect(await readDocumentTexts(database.db, ['d', 'missing'], { onSkipped })).toEqual(
      new Map([
        ['d', 'good edits'],
        ['missing', ''],
      ]),
    )
    expect(reported).toEqual([
      ['d', [bad!.seq]],
      ['d', [bad!.seq]],
    ])
    // Readers only read: the row is still in the log.
    expect(await loadDocumentUpdates(database.db, 'd')).toHaveLength(3)
  })
})
