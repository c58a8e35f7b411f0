import { describe, expect, it } from 'vitest'
import { seededRandom } from '@mimiverse/collab/testing'
import { applyOps, mergeOps, StreamingDiff, type DiffOp } from './streaming-diff'

function run(old: string, chunks: string[]): DiffOp[] {
  const d = new StreamingDiff(old)
  return mergeOps([...chunks.flatMap((c) => d.push(c)), ...d.end()])
}

const chunked = (s: string, random: () => number) => {
  const out: string[] = []
  for (let i = 0; i < s.length;) {
    const n = 1 + Math.floor(random() * 6)
    out.push(s.slice(i, i + n))
    i += n
  }
  return out
}

describe('StreamingDiff', () => {
  it('gives small character-level edits for a small change', () => {
    const old = 'function add(a, b) {\n  return a + b\n}'
    const ops = run(old, [...'function add(a, b) {\n  return a + b + 1\n}'])
    expect(ops.filter((o) => o.op !== 'keep')).toEqual([{ op: 'insert', text: ' + 1' }])
    expect(applyOps(old, ops)).toBe('function add(a, b) {\n  return a + b + 1\n}')
  })

  it('keeps unchanged lines, types new ones, deletes removed ones', () => {
    const old = 'a\nb\nc\nd'
    const ops = run(old, ['a\nnew line\nc\n', 'd'])
    expect(ops).toEqual([
      { op: 'keep', n: 2 },
      { op: 'insert', text: 'new line\n' },
      { op: 'delete', n: 2 },
      { op: 'keep', n: 3 },
    ])
  })

  it('always yields exactly the new text, whatever the texts and the chunking (seeded)', () => {
    const random = seededRandom(42)
    const words = ['foo', 'bar', '  ', '{', '}', 'return x', '\n', '\n', 'let y = 1', '// note']
    const text = () =>
      Array.from(
        { length: Math.floor(random() * 30) },
        () => words[Math.floor(random() * words.length)],
      ).join('')
    for (let round = 0; round < 500; round++) {
      const old = text()
      const next = random() < 0.5 ? text() : old.replace(/o/g, 'oo').replace(/bar\n/, '')
      expect(applyOps(old, run(old, chunked(next, random)))).toBe(next)
    }
  })
})
