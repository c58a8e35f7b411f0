import { describe, expect, it } from 'vitest'
import { locate, rangeOffsets } from './locate'

const text = 'function a() {\n    return 1\n}\n\nfunction b() {\n    return 2\n}\n'

describe('locate', () => {
  it('finds exact text, and only inside the given span', () => {
    const at = locate(text, 'return 2')
    expect(text.slice(at!.start, at!.end)).toBe('return 2')
    expect(locate(text, 'return 2', { start: 0, end: 30 })).toBeNull()
  })

  it('tolerates whitespace drift and indentation', () => {
    const drift = locate(text, 'function b()  {\n  return 2\n}')
    expect(text.slice(drift!.start, drift!.end)).toBe('function b() {\n    return 2\n}')
    const indented = locate(text, '        return   2')
    expect(text.slice(indented!.start, indented!.end)).toBe('return 2')
  })

  it('says null when the text is not there, or is only whitespace', () => {
    expect(locate(text, 'return 3')).toBeNull()
    expect(locate(text, '  \n')).toBeNull()
  })
})

describe('rangeOffsets', () => {
  it('turns 1-based lines and columns into offsets; whole lines without columns', () => {
    expect(rangeOffsets(text, { startLine: 5, endLine: 7 })).toEqual({ start: 31, end: text.length })
    expect(rangeOffsets(text, { startLine: 2, startColumn: 5, endLine: 2, endColumn: 11 })).toEqual({
      start: 19,
      end: 25,
    })
  })
})
