import { describe, expect, it } from 'vitest'
import { unifiedDiff } from './text-diff'

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('')
  })

  it('shows a changed line with its context and line numbers', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n')
    const after = before.replace('5', 'five')
    expect(unifiedDiff(before, after)).toBe(
      ['@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8'].join('\n'),
    )
  })

  it('keeps far-apart changes in separate hunks, and shows a new file as added lines', () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n')
    const after = before.replace('l2\n', 'l2\nnew\n').replace('l27', 'L27')
    const d = unifiedDiff(before, after)
    expect(d.match(/^@@/gm)).toHaveLength(2)
    expect(d).toContain('+new')
    expect(d).toContain('-l27\n+L27')
    expect(unifiedDiff('', 'x\ny\n')).toBe('@@ -1,0 +1,2 @@\n+x\n+y')
  })
})
