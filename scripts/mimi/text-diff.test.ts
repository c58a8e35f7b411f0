import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from '@mimiverse/collab/testing'
import { applyEdits, applyOps, textEdits, transactions } from '@mimiverse/shared'

function randomText(random: () => number, lines: number): string {
  const words = ['const', 'x', '=', '1;', 'if', '(a)', '{', '}', 'return', '😀', '\t', 'é']
  return Array.from({ length: lines }, () =>
    Array.from({ length: Math.floor(random() * 5) }, () => words[Math.floor(random() * words.length)]).join(
      ' ',
    ),
  ).join(random() < 0.5 ? '\n' : '\r\n')
}

describe('textEdits', () => {
  it('changes only the characters that differ', () => {
    const before = 'line one\nline two\nline three\n'
    expect(textEdits(before, 'line one\nline 2\nline three\n')).toEqual([
      { index: 14, remove: 3, insert: '2' },
    ])
    expect(textEdits(before, before)).toEqual([])
  })

  it('keeps separate edits apart, so text between them is untouched', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}\n`)
    const after = [...lines]
    after[1] = 'first change\n'
    after[48] = 'second change\n'
    const edits = textEdits(lines.join(''), after.join(''))
    expect(edits).toHaveLength(2)
    expect(edits.every((e) => e.remove < 20)).toBe(true)
  })

  it('never splits a surrogate pair', () => {
    const edits = textEdits('a😀b', 'a😁b')
    expect(edits).toEqual([{ index: 1, remove: 2, insert: '😁' }])
  })

  it('splits large insertions into bounded transactions, never inside a surrogate pair', () => {
    const big = '😀'.repeat(10) + 'x'.repeat(15)
    const batches = transactions(textEdits('ab', `a${big}b`), 7)
    const ops = batches.flat()
    expect(applyOps('ab', ops)).toBe(`a${big}b`)
    for (const batch of batches) {
      const size = batch.reduce((n, op) => n + (op.kind === 'insert' ? op.text.length : 0), 0)
      expect(size).toBeLessThanOrEqual(7)
    }
    for (const op of ops) {
      if (op.kind === 'insert') expect(op.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/)
    }
  })

  it('turns any text into any other, in a string and in a Y.Text (seeded random)', () => {
    const random = seededRandom(42)
    for (let round = 0; round < 300; round++) {
      const before = randomText(random, Math.floor(random() * 30))
      const after =
        random() < 0.5
          ? randomText(random, Math.floor(random() * 30))
          : before
              .split('\n')
              .map((line) => (random() < 0.2 ? `${line} changed` : line))
              .filter(() => random() > 0.1)
              .join('\n')
      const edits = textEdits(before, after)
      expect(applyEdits(before, edits)).toBe(after)
      const doc = new Y.Doc()
      const text = doc.getText('content')
      text.insert(0, before)
      for (const batch of transactions(edits, 1 + Math.floor(random() * 20))) {
        doc.transact(() => {
          for (const op of batch) {
            if (op.kind === 'delete') text.delete(op.index, op.length)
            else text.insert(op.index, op.text)
          }
        })
      }
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      expect(copy.getText('content').toString()).toBe(after)
    }
  })
})
