import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { Database } from '../client'
import { EMPTY_STATE } from '../replay'
import { documentSnapshots, documentUpdates } from '../schema/documents'
import { newTestDatabase, quarantinedRows, UNAPPLICABLE_UPDATE } from '../testing'
import { compactLogChunk, readSnapshot } from './compaction'
import { readDocumentText } from './documents'
import { quarantineUpdates } from './quarantine'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

/** Logs `rows` of document 'd' in order; returns their seqs. */
async function logRows(db: Database['db'], rows: Uint8Array[]): Promise<number[]> {
  const seqs: number[] = []
  for (const update of rows) {
    const [row] = await db.insert(documentUpdates).values({ docName: 'd', update }).returning()
    seqs.push(row!.seq)
  }
  return seqs
}

/** Each edit of a new document as its own update. */
function edits(...changes: ((t: Y.Text) => void)[]): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (const change of changes) change(doc.getText(CONTENT_FIELD))
  doc.destroy()
  return updates
}

describe('compaction of a log that holds an update that cannot be applied', () => {
  it('folds every other row, moves the bad one to quarantine, and compacts again afterwards', async () => {
    database = await newTestDatabase()
    const { db } = database
    const [first, second] = edits(
      (t) => t.insert(0, 'kept'),
      (t) => t.insert(4, '!'),
    )
    const seqs = await logRows(db, [first!, UNAPPLICABLE_UPDATE, second!])
    const chunk = await compactLogChunk(db, 'd', 100)
    expect(chunk.merged).toBe(3)
    expect(chunk.quarantined.map((q) => q.seq)).toEqual([seqs[1]])
    expect(await db.select().from(documentUpdates)).toEqual([])
    expect(await quarantinedRows(db)).toEqual([
      {
        docName: 'd',
        seq: seqs[1],
        update: UNAPPLICABLE_UPDATE,
        reason: expect.stringMatching(/empty delete range/),
      },
    ])
    expect(await readDocumentText(db, 'd')).toBe('kept!')
    // The next rows fold the plain way.
    const [more] = edits((t) => t.insert(0, 'x'))
    await logRows(db, [more!])
    expect(await compactLogChunk(db, 'd', 100)).toEqual({ merged: 1, quarantined: [] })
    expect(await quarantinedRows(db)).toHaveLength(1)
  })

  it('moves a bad snapshot to quarantine and keeps the rows typed after it', async () => {
    database = await newTestDatabase()
    const { db } = database
    await db.insert(documentSnapshots).values({ docName: 'd', state: UNAPPLICABLE_UPDATE })
    await logRows(
      db,
      edits((t) => t.insert(0, 'typed later')),
    )
    const chunk = await compactLogChunk(db, 'd', 100)
    expect(chunk.quarantined.map((q) => q.seq)).toEqual([undefined])
    expect(await quarantinedRows(db)).toEqual([
      { docName: 'd', seq: null, update: UNAPPLICABLE_UPDATE, reason: expect.any(String) as string },
    ])
    expect(await readDocumentText(db, 'd')).toBe('typed later')
  })

  it('moves each row and snapshot once, however many replays report it', async () => {
    database = await newTestDatabase()
    const { db } = database
    await db.insert(documentSnapshots).values({ docName: 'd', state: UNAPPLICABLE_UPDATE })
    const [seq] = await logRows(db, [UNAPPLICABLE_UPDATE])
    const skipped = [
      { update: UNAPPLICABLE_UPDATE, reason: 'bad snapshot' },
      { seq: seq!, update: UNAPPLICABLE_UPDATE, reason: 'bad row' },
    ]
    const [one, two] = await Promise.all([
      quarantineUpdates(db, 'd', skipped),
      quarantineUpdates(db, 'd', skipped),
    ])
    expect(one.length + two.length).toBe(2)
    expect((await quarantinedRows(db)).map((q) => [q.seq, q.reason]).sort()).toEqual([
      [null, 'bad snapshot'],
      [seq, 'bad row'],
    ])
    expect(await readSnapshot(db, 'd')).toEqual(EMPTY_STATE)
    expect(await db.select().from(documentUpdates)).toEqual([])
  })
})
