import { describe, expect, it } from 'vitest'
import { seededRandom } from '@mimiverse/collab/testing'
import { coalesce, EditStreamParser, type EditEvent } from './edit-format'

const answer = [
  'Here is the change:',
  '```',
  '<<<<<<< OLD',
  'function add(a, b) {',
  '  return a + b',
  '}',
  '=======',
  'function add(a: number, b: number): number {',
  '  // >> not a marker',
  '  return a + b',
  '}',
  '>>>>>>> NEW',
  '<<<<<<< OLD',
  'const x = 1',
  '=======',
  '>>>>>>> NEW',
  '```',
  '',
].join('\n')

const expected: EditEvent[] = [
  { type: 'old', text: 'function add(a, b) {\n  return a + b\n}' },
  {
    type: 'new',
    text: 'function add(a: number, b: number): number {\n  // >> not a marker\n  return a + b\n}',
  },
  { type: 'end' },
  { type: 'old', text: 'const x = 1' },
  { type: 'end' },
]

function parse(chunks: string[]): EditEvent[] {
  const p = new EditStreamParser()
  return coalesce([...chunks.flatMap((c) => p.push(c)), ...p.end()])
}

describe('EditStreamParser', () => {
  it('reads old/new blocks whatever the chunking (seeded)', () => {
    expect(parse([answer])).toEqual(expected)
    expect(parse([...answer])).toEqual(expected)
    const random = seededRandom(7)
    for (let round = 0; round < 50; round++) {
      const chunks: string[] = []
      for (let i = 0; i < answer.length;) {
        const n = 1 + Math.floor(random() * 12)
        chunks.push(answer.slice(i, i + n))
        i += n
      }
      expect(parse(chunks)).toEqual(expected)
    }
  })

  it('reports the old text before any new text, and new text before the block ends', () => {
    const p = new EditStreamParser()
    expect(p.push('<<<<<<< OLD\na\n')).toEqual([])
    expect(p.push('=======\n')).toEqual([{ type: 'old', text: 'a' }])
    expect(coalesce(p.push('bc'))).toEqual([{ type: 'new', text: 'bc' }])
    // A line that could still be the closing marker is held back, then released.
    expect(p.push('\n>>>')).toEqual([])
    expect(coalesce(p.push('x'))).toEqual([{ type: 'new', text: '\n>>>x' }])
  })

  it('ends a block left open at the end of the answer', () => {
    expect(parse(['<<<<<<< OLD\na\n=======\nb\n'])).toEqual([
      { type: 'old', text: 'a' },
      { type: 'new', text: 'b' },
      { type: 'end' },
    ])
  })
})
