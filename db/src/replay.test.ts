import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { replay, replayInto, type StoredUpdate } from './replay'
import { UNAPPLICABLE_UPDATE } from './testing'
import { updateProblem } from './update-check'

/** A snapshot with `text`, then one log row per edit. */
function stored(
  text: string,
  edits: ((t: Y.Text) => void)[],
): { snapshot: Uint8Array; rows: StoredUpdate[] } {
  const doc = new Y.Doc()
  doc.getText(CONTENT_FIELD).insert(0, text)
  const snapshot = Y.encodeStateAsUpdate(doc)
  const rows: StoredUpdate[] = []
  doc.on('update', (update: Uint8Array) => rows.push({ seq: rows.length + 1, update }))
  for (const edit of edits) edit(doc.getText(CONTENT_FIELD))
  doc.destroy()
  return { snapshot, rows }
}

const textOf = (doc: Y.Doc) => doc.getText(CONTENT_FIELD).toString()

describe('replay', () => {
  it('leaves out a row that cannot be applied and keeps every other edit', () => {
    const { snapshot, rows } = stored('hello', [(t) => t.insert(5, ' world'), (t) => t.delete(0, 1)])
    const bad = { seq: 99, update: UNAPPLICABLE_UPDATE }
    const { doc, skipped } = replay([{ update: snapshot }, rows[0]!, bad, rows[1]!])
    expect(textOf(doc)).toBe('ello world')
    expect(skipped).toEqual([{ ...bad, reason: expect.stringMatching(/empty delete range/) as string }])
    doc.destroy()

    const clean = replay([{ update: snapshot }, ...rows])
    expect([textOf(clean.doc), clean.skipped]).toEqual(['ello world', []])
    clean.doc.destroy()
  })

  it('leaves out a bad snapshot: rows typed from scratch still apply, edits on its text wait', () => {
    const { rows } = stored('', [(t) => t.insert(0, 'fresh')])
    const onOldText = stored('old', [(t) => t.insert(3, '!')]).rows
    const { doc, skipped } = replay([{ update: UNAPPLICABLE_UPDATE }, ...rows, ...onOldText])
    expect(textOf(doc)).toBe('fresh')
    expect(skipped.map((s) => s.seq)).toEqual([undefined])
    doc.destroy()
  })

  it('replays into a given document, with the rebuilt state when a row was left out', () => {
    const { snapshot, rows } = stored('abc', [(t) => t.insert(3, 'd')])
    const doc = new Y.Doc()
    const skipped = replayInto(
      doc,
      [{ update: snapshot }, { seq: 7, update: UNAPPLICABLE_UPDATE }, ...rows],
      'load',
    )
    expect(textOf(doc)).toBe('abcd')
    expect(skipped.map((s) => s.seq)).toEqual([7])
    expect(() => Y.encodeStateAsUpdate(doc)).not.toThrow()
  })

  it('starts again without a row that throws only after the rows before it, so nothing of it stays', () => {
    const a = new Y.Doc()
    a.clientID = 1
    a.getText(CONTENT_FIELD).insert(0, 'hello')
    /** What client `clientID` sends after editing on top of `a`. */
    const typed = (clientID: number, edit: (t: Y.Text) => void) => {
      const doc = new Y.Doc()
      doc.clientID = clientID
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(a))
      edit(doc.getText(CONTENT_FIELD))
      return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(a))
    }
    // Passes every check on its own: a garbage-collected struct claiming client 2's first clock. Client 2's own
    // insertion at that clock then throws inside Yjs, so its row is the one left out (which row is at fault
    // cannot be known). That row also holds client 5's edit, which Yjs applies before it reaches client 2's.
    const forged = new Uint8Array([1, 1, 2, 0, 0, 1, 0])
    expect(updateProblem(forged)).toBeUndefined()
    const both = Y.mergeUpdates([typed(2, (t) => t.insert(5, ' XY')), typed(5, (t) => t.insert(0, '>'))])
    const kept = [{ update: Y.encodeStateAsUpdate(a) }, { seq: 1, update: forged }]
    const { doc, skipped } = replay([...kept, { seq: 2, update: both }])
    expect(skipped.map((s) => [s.seq, s.reason])).toEqual([
      [2, expect.stringMatching(/after the updates before it/)],
    ])
    // Exactly the other rows, applied to a new document: nothing of row 2, not even client 5's edit.
    const expected = new Y.Doc()
    for (const r of kept) Y.applyUpdate(expected, r.update)
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(expected))
    expect(textOf(doc)).toBe('hello')
  })
})
