import { describe, expect, it } from 'vitest'
import type { SearchHit } from '../ai/ai-client'
import { groupByFile, highlight, MAX_LINES_PER_HIT, queryTerms, shownLines } from './search-results'

const hit = (over: Partial<SearchHit>): SearchHit => ({
  fileId: 'f1',
  path: 'src/a.ts',
  startLine: 10,
  endLine: 12,
  snippet: 'const a = 1\nfunction parseConfig() {}\nreturn a',
  score: 1,
  ...over,
})

describe('queryTerms', () => {
  it('splits on white space and punctuation, drops one-letter noise, longest first', () => {
    expect(queryTerms('parseConfig(a, b) env')).toEqual(['parseconfig', 'env'])
    expect(queryTerms('x')).toEqual(['x'])
    expect(queryTerms('  ()  ')).toEqual([])
    expect(queryTerms('foo foo $bar')).toEqual(['$bar', 'foo'])
  })
})

describe('highlight', () => {
  it('marks every term case-insensitively, the longer term winning', () => {
    expect(highlight('ParseConfig(parse)', ['parseconfig', 'parse'])).toEqual([
      { text: 'ParseConfig', match: true },
      { text: '(', match: false },
      { text: 'parse', match: true },
      { text: ')', match: false },
    ])
  })

  it('treats terms as text, not patterns', () => {
    expect(highlight('a.b axb', ['a.b'])).toEqual([
      { text: 'a.b', match: true },
      { text: ' axb', match: false },
    ])
    expect(highlight('plain', [])).toEqual([{ text: 'plain', match: false }])
  })
})

describe('shownLines', () => {
  it('shows the lines with a term, numbered from the hit start', () => {
    expect(shownLines(hit({}), ['parseconfig'])).toEqual([{ line: 11, text: 'function parseConfig() {}' }])
  })

  it('shows the first non-blank lines of a match by meaning, bounded', () => {
    const snippet = ['', 'a', 'b', 'c', 'd', 'e'].join('\n')
    const lines = shownLines(hit({ snippet, startLine: 1, endLine: 6 }), ['zzz'])
    expect(lines.map((l) => l.line)).toEqual([2, 3, 4, 5])
    expect(lines).toHaveLength(MAX_LINES_PER_HIT)
  })
})

describe('groupByFile', () => {
  it('groups by file in order of best hit, hits in line order, target on the first matching line', () => {
    const groups = groupByFile(
      [
        hit({ fileId: 'f2', path: 'b.ts', startLine: 50, endLine: 50, snippet: 'parseConfig()' }),
        hit({}),
        hit({ fileId: 'f2', path: 'b.ts', startLine: 5, endLine: 5, snippet: 'x = parseConfig' }),
      ],
      'parseConfig',
    )
    expect(groups.map((g) => g.path)).toEqual(['b.ts', 'src/a.ts'])
    expect(groups[0]!.hits.map((h) => h.targetLine)).toEqual([5, 50])
    expect(groups[1]!.hits[0]!.targetLine).toBe(11)
  })
})
