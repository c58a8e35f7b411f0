import { describe, expect, it } from 'vitest'
import { typedSince } from './typed-since'

describe('typedSince', () => {
  it('finds what was typed after an earlier window of the text, even when the window slid', () => {
    expect(typedSince('const a = ', 'const a = 4', 10)).toBe('4')
    expect(typedSince('const a = ', 'const a = ', 10)).toBe('')
    const long = 'x'.repeat(300) + 'ab'
    expect(typedSince(long, long.slice(5) + 'cd', 10)).toBe('cd')
    expect(typedSince('const a = ', 'const b = 4', 10)).toBeNull()
    expect(typedSince('a = ', 'a = 12345', 3)).toBeNull()
  })
})
