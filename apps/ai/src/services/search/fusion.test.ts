import { describe, expect, it } from 'vitest'
import { capPerFile, reciprocalRankFusion } from './fusion'

describe('reciprocal rank fusion', () => {
  it('sums 1 / (60 + rank) over the lists, so agreement wins', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['b', 'd', 'a'],
      ],
      (x) => x,
    )
    expect(fused.map((f) => f.item)).toEqual(['b', 'a', 'd', 'c'])
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61)
  })

  it('keeps at most n items of a file, in order', () => {
    const items = ['f1:a', 'f1:b', 'f2:a', 'f1:c', 'f2:b']
    expect(capPerFile(items, (x) => x.split(':')[0]!, 2)).toEqual(['f1:a', 'f1:b', 'f2:a', 'f2:b'])
  })
})
