import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { beginCommit, mapIndex, replaceText } from './shared-text'

function pair() {
  const [a, b] = [new Y.Doc(), new Y.Doc()]
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u))
  b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u))
  return [a.getText('content'), b.getText('content')] as const
}

describe('a textarea bound to a shared text', () => {
  it("writes only the part that changed, so another writer's text elsewhere stays", () => {
    const [a, b] = pair()
    replaceText(a, 'Fix parser')
    replaceText(b, 'Fix the parser')
    expect(a.toString()).toBe('Fix the parser')
    // Offline from each other, both edit different ends: both edits survive the merge.
    const [x, y] = [new Y.Doc(), new Y.Doc()]
    Y.applyUpdate(x, Y.encodeStateAsUpdate(a.doc!))
    Y.applyUpdate(y, Y.encodeStateAsUpdate(a.doc!))
    replaceText(x.getText('content'), 'Parser: Fix the parser')
    replaceText(y.getText('content'), 'Fix the parser\n\nBody')
    Y.applyUpdate(x, Y.encodeStateAsUpdate(y))
    expect(x.getText('content').toString()).toBe('Parser: Fix the parser\n\nBody')
  })

  it('moves a caret as the text before it moved', () => {
    const text = new Y.Doc().getText('content')
    text.insert(0, 'hello world')
    const deltas: Y.YTextEvent['delta'][] = []
    text.observe((e) => deltas.push(e.delta))
    text.insert(0, '>> ')
    text.delete(8, 6) // '>> hello world' -> '>> hello'
    const [insert, remove] = deltas
    expect(mapIndex(5, insert!)).toBe(8)
    expect(mapIndex(0, insert!)).toBe(3)
    expect(mapIndex(12, remove!)).toBe(8)
    expect(mapIndex(4, remove!)).toBe(4)
    expect(mapIndex(14, remove!)).toBe(8)
  })

  it('clears what was committed and keeps what was typed after its end meanwhile', () => {
    const [a, b] = pair()
    replaceText(a, 'Commit me')
    const commit = beginCommit(a)
    expect(commit.message).toBe('Commit me')
    b.insert(b.length, '\nnext')
    commit.clear()
    expect(a.toString()).toBe('\nnext')
    expect(b.toString()).toBe('\nnext')
  })
})
