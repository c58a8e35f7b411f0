import { describe, expect, it } from 'vitest'
import { balanceBrackets, dropRepeats, postProcess, wantsMultiline } from './completion-post'

const multi = (raw: string, suffix = '') => postProcess(raw, { prefix: '', suffix, multiline: true })
const single = (raw: string, suffix = '') => postProcess(raw, { prefix: '', suffix, multiline: false })

describe('completion post-processing', () => {
  it('drops leaked special tokens and everything after them', () => {
    expect(multi('1 + 2<|endoftext|>junk')).toBe('1 + 2')
    expect(multi('a\n<|file_sep|>other.ts\nb')).toBe('a')
    expect(multi('<|fim_middle|>x')).toBe('')
  })

  it('drops trailing lines that repeat the suffix, and lines the model repeated back to back', () => {
    expect(multi('const r = 1\n  return r', '\n  return r\n}')).toBe('const r = 1')
    expect(multi('a = 1\n  b = 2\n  c = 3', '\n  b = 2\n  c = 3\n')).toBe('a = 1')
    expect(dropRepeats('log(x)\nlog(x)\nlog(x)\ndone()', '')).toBe('log(x)\ndone()')
    // A lone bracket may close an inner block the model opened: too ambiguous to drop.
    expect(multi('if (x) {\n}', '\n}')).toBe('if (x) {\n}')
  })

  it('keeps brackets balanced: no closer the suffix already has, no block left open', () => {
    expect(single('a, b)', ')')).toBe('a, b')
    expect(single('a, b])', '])')).toBe('a, b')
    // Without the closer after the cursor, the model's own closer is needed.
    expect(single('a, b)', '\nfoo()')).toBe('a, b)')
    // Cut by the token budget inside a second function: back to the end of the first.
    expect(multi('one() {\n  return 1\n}\ntwo() {\n  return')).toBe('one() {\n  return 1\n}')
    // Never balanced: only the first line stays.
    expect(multi('if (x) {\n  y()')).toBe('if (x) {')
    // Brackets inside strings do not count.
    expect(multi('log(")")\nnext()')).toBe('log(")")\nnext()')
  })

  it('keeps one line mid-line and lets a block open over several', () => {
    expect(wantsMultiline('const x = foo(', 'bar)\n')).toBe(false)
    expect(wantsMultiline('function f() {', '\n}')).toBe(true)
    expect(wantsMultiline('  ', ')\n')).toBe(true)
    expect(wantsMultiline('const x = ', '\n')).toBe(false)
    expect(single('42\nmore')).toBe('42')
    expect(balanceBrackets('x', '')).toBe('x')
  })
})
