import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AppendedRows } from './appended-rows'

/** Every update `edit` makes to a copy of `base`, one per transaction. */
function updatesOf(base: Y.Doc, edit: (text: Y.Text) => void): Uint8Array[] {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  edit(doc.getText('content'))
  return updates
}

describe('AppendedRows', () => {
  it('counts a row as held only once the document has its inserts and its deletions', () => {
    const live = new Y.Doc()
    const [insert] = updatesOf(live, (t) => t.insert(0, 'abc'))
    const rows = new AppendedRows()
    rows.record('doc', [1], [insert!])
    expect(rows.contained('doc', live).seqs).toEqual([])
    Y.applyUpdate(live, insert!)
    expect(rows.contained('doc', live).seqs).toEqual([1])

    const [deletion] = updatesOf(live, (t) => t.delete(1, 1))
    rows.record('doc', [2], [deletion!])
    // Inserts held, the deletion not applied yet: that row must stay.
    expect(rows.contained('doc', live).seqs).toEqual([1])
    Y.applyUpdate(live, deletion!)
    expect(rows.contained('doc', live).seqs).toEqual([1, 2])
    expect(rows.count('doc')).toBe(2)
    rows.drop('doc', rows.contained('doc', live).groups)
    expect(rows.count('doc')).toBe(0)
  })

  it('keeps a row whose update waits as pending for a missing one', () => {
    const live = new Y.Doc()
    const [first, second] = updatesOf(live, (t) => {
      t.insert(0, 'a')
      t.insert(1, 'b')
    })
    const rows = new AppendedRows()
    rows.record('doc', [7], [second!])
    Y.applyUpdate(live, second!)
    expect(rows.contained('doc', live).seqs).toEqual([])
    Y.applyUpdate(live, first!)
    expect(rows.contained('doc', live).seqs).toEqual([7])
  })
})
