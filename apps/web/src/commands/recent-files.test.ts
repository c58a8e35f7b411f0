import { describe, expect, it } from 'vitest'
import { recentFirst, touchRecent } from './recent-files'

describe('recent files', () => {
  it('moves a shown file to the front without duplicates', () => {
    expect(touchRecent(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b'])
    expect(touchRecent([], 'a')).toEqual(['a'])
  })

  it('keeps at most 50', () => {
    const many = Array.from({ length: 60 }, (_, i) => `d${i}`)
    expect(touchRecent(many, 'x')).toHaveLength(50)
  })

  it('orders recent files first, then the rest by path', () => {
    const files = [
      { docName: '1', path: 'b.ts' },
      { docName: '2', path: 'a.ts' },
      { docName: '3', path: 'z.ts' },
    ]
    expect(recentFirst(files, ['3']).map((f) => f.path)).toEqual(['z.ts', 'a.ts', 'b.ts'])
  })
})
