import { describe, expect, it } from 'vitest'
import { fuzzyFilter, fuzzyMatch } from './fuzzy'

describe('fuzzyMatch', () => {
  it('matches a case-insensitive subsequence and says which characters matched', () => {
    expect(fuzzyMatch('mts', 'src/Main.ts')?.indices).toEqual([4, 9, 10])
    expect(fuzzyMatch('xyz', 'src/main.ts')).toBeNull()
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, indices: [] })
  })

  it('ignores spaces in the query', () => {
    expect(fuzzyMatch('to upper', 'Transform to Uppercase')).not.toBeNull()
  })

  it('prefers word starts in the last path segment', () => {
    const paths = ['src/fancy/bigarray.ts', 'src/foo/bar.ts']
    expect(fuzzyFilter(paths, 'fbar', (p) => p).map((r) => r.item)).toEqual([
      'src/foo/bar.ts',
      'src/fancy/bigarray.ts',
    ])
  })

  it('matches camelCase word starts', () => {
    const a = fuzzyMatch('gd', 'goDefinition')!
    const b = fuzzyMatch('gd', 'guarded')!
    expect(a.score).toBeGreaterThan(b.score)
  })
})

describe('fuzzyFilter', () => {
  it('keeps the input order for ties and for an empty query', () => {
    const items = ['b/util.ts', 'a/util.ts']
    expect(fuzzyFilter(items, 'util', (p) => p).map((r) => r.item)).toEqual(items)
    expect(fuzzyFilter(items, '', (p) => p).map((r) => r.item)).toEqual(items)
  })

  it('drops what does not match', () => {
    expect(fuzzyFilter(['main.ts', 'README.md'], 'rdm', (p) => p).map((r) => r.item)).toEqual(['README.md'])
  })
})
