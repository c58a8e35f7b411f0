import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from '../testing/random'
import { decodeDeleteSet, deleteSetOf, encodeDeleteSet, encodeDiff } from './yjs-history'

describe('history encodings', () => {
  it('rebuild every version from diffs that carry only new deletions (seeded random edits)', () => {
    const random = seededRandom(7)
    const doc = new Y.Doc()
    const text = doc.getText('content')
    const diffs: Uint8Array[] = []
    const texts: string[] = []
    let sv: Uint8Array = new Uint8Array([0])
    let known: ReturnType<typeof deleteSetOf> | null = null
    for (let v = 0; v < 30; v++) {
      for (let i = 0; i < 40; i++) {
        if (text.length > 0 && random() < 0.4) {
          const at = Math.floor(random() * text.length)
          text.delete(at, Math.min(1 + Math.floor(random() * 5), text.length - at))
        } else text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + (v % 26)))
      }
      diffs.push(encodeDiff(doc, sv, known))
      texts.push(text.toString())
      sv = Y.encodeStateVector(doc)
      known = deleteSetOf(doc)
    }
    for (let v = 0; v < diffs.length; v++) {
      const rebuilt = new Y.Doc()
      Y.applyUpdate(rebuilt, Y.mergeUpdates(diffs.slice(0, v + 1)))
      expect(rebuilt.getText('content').toString()).toBe(texts[v])
    }
    // The last diff is far smaller than the whole state with its delete set.
    expect(diffs.at(-1)!.length).toBeLessThan(Y.encodeStateAsUpdate(doc).length)
  })

  it('round-trip a delete set', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'hello world')
    doc.getText('t').delete(2, 3)
    const ds = deleteSetOf(doc)
    expect(Y.equalDeleteSets(decodeDeleteSet(encodeDeleteSet(ds)), ds)).toBe(true)
  })
})
