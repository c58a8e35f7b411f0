import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { documentSnapshots, documentUpdates } from '@mimiverse/db/schema'
import { newTestDatabase } from '@mimiverse/db/testing'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { onCleanup } from '../../test/fixtures'
import { createDocReader } from './doc-reader'

describe('document reader', () => {
  it('reads the snapshot plus the logged updates after it, and empty text for an unknown document', async () => {
    const database = await newTestDatabase()
    onCleanup(() => database.close())
    const doc = new Y.Doc()
    const text = doc.getText(CONTENT_FIELD)
    text.insert(0, 'hello')
    await database.db.insert(documentSnapshots).values({ docName: 'd', state: Y.encodeStateAsUpdate(doc) })
    // Later edits that are only in the log (not compacted yet), as the collab server writes them.
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    text.insert(5, ' world')
    text.delete(0, 1)
    for (const update of updates) await database.db.insert(documentUpdates).values({ docName: 'd', update })
    doc.destroy()
    const reader = createDocReader(database.db)
    expect(await reader.readText('d')).toBe('ello world')
    expect(await reader.readText('missing')).toBe('')
  })
})
