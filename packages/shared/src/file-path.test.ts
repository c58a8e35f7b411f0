import { describe, expect, it } from 'vitest'
import {
  filePathCaseKey,
  filePathProblem,
  filePathSchema,
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
} from './file-path'
import { docNameFor, parseDocName } from './doc-name'

describe('filePathProblem', () => {
  it.each([
    'a.ts',
    'src/index.ts',
    'deep/er/file.tsx',
    '.github/workflows/ci.yml',
    'ümlaut.md',
    'u\u0308mlaut.md', // NFD: accepted, stored as NFC (see filePathSchema)
    '日本語/ファイル.ts',
    'emoji-😀.md',
    'a'.repeat(MAX_SEGMENT_BYTES),
    `${'d'.repeat(200)}/`.repeat(5) + 'x'.repeat(MAX_PATH_BYTES - 1005),
  ])('accepts %j', (p) => {
    expect(filePathProblem(p)).toBeNull()
  })

  it.each([
    ['', /empty/],
    ['/etc/passwd', /relative/],
    ['C:/x', /relative/],
    ['../x', /normalized/],
    ['a/../b', /normalized/],
    ['./a', /normalized/],
    ['a//b', /empty segment/],
    ['a/', /end with/],
    ['a\\b', /separator/],
    [' a', /white space/],
    ['a/b ', /white space/],
  ])('refuses %j', (p, why) => {
    expect(filePathProblem(p)).toMatch(why)
  })

  it.each([
    // Direction-changing (bidi) controls: embeddings, overrides, isolates, marks, the Arabic letter mark.
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'],
    ...['\u200E', '\u200F', '\u061C'],
  ])('refuses the bidi control %j, naming it', (c) => {
    const label = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    expect(filePathProblem(`a${c}b.ts`)).toBe(
      `path contains ${label}, an invisible direction-changing (bidi) control character`,
    )
  })

  it.each(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'])('refuses the zero-width %j', (c) => {
    expect(filePathProblem(`a${c}b.ts`)).toMatch(/U\+[0-9A-F]{4}, an invisible zero-width character/)
  })

  it.each(['\u0085', '\u2028', '\u2029'])('refuses the line or paragraph separator %j', (c) => {
    expect(filePathProblem(`a${c}b.ts`)).toMatch(/a line or paragraph separator/)
  })

  it.each(['\u0000', '\u0009', '\u000A', '\u001F', '\u007F', '\u0080', '\u009B', '\u009F'])(
    'refuses the C0/C1 control %j',
    (c) => {
      expect(filePathProblem(`a${c}b.ts`)).toMatch(/a control character/)
    },
  )

  it.each(['\u00AD', '\u180E', '\u2061', '\u206F', '\uFFF9', '\u{E0001}'])(
    'refuses the other invisible format character %j',
    (c) => {
      expect(filePathProblem(`a${c}b.ts`)).toMatch(/an invisible formatting character/)
    },
  )

  it.each(['\uD800', '\uDFFF', 'a\uDC00b', '\uD83D.ts', 'x/\uDE00'])(
    'refuses the lone surrogate in %j',
    (p) => {
      expect(filePathProblem(p)).toMatch(/not well-formed Unicode \(lone surrogate U\+D[89A-F][0-9A-F]{2}\)/)
    },
  )

  it('bounds bytes (UTF-8), not characters, per segment and per path', () => {
    // 128 two-byte characters: 128 characters but 256 bytes, one more than a segment may hold.
    expect(filePathProblem('é'.repeat(128))).toMatch(`segment is longer than ${MAX_SEGMENT_BYTES} bytes`)
    expect(filePathProblem('é'.repeat(127))).toBeNull()
    // Four-byte characters count four.
    expect(filePathProblem('😀'.repeat(64))).toMatch(/segment is longer/)
    expect(filePathProblem('😀'.repeat(63))).toBeNull()
    const segment = 'é'.repeat(100) // 200 bytes
    const path = (n: number) => Array.from({ length: n }, () => segment).join('/')
    expect(filePathProblem(path(5))).toBeNull() // 1004 bytes
    expect(filePathProblem(`${path(5)}/abcdefghijklmnopqrst`)).toMatch(`longer than ${MAX_PATH_BYTES} bytes`)
    expect(filePathProblem('x'.repeat(100_000))).toMatch(/longer than/)
  })

  it('checks the NFC form: a decomposed name is measured and compared once composed', () => {
    // 127 decomposed "é" are 381 bytes as typed but 254 bytes composed, so the segment fits.
    expect(filePathProblem('e\u0301'.repeat(127))).toBeNull()
  })
})

describe('filePathSchema', () => {
  it('stores the NFC form and prefixes problems with what was invalid', () => {
    expect(filePathSchema.parse('src/u\u0308mlaut.md')).toBe('src/\u00FCmlaut.md')
    expect(filePathSchema.parse('src/a.ts')).toBe('src/a.ts')
    const result = filePathSchema.safeParse('a\u202Eb.ts')
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe(
      'Invalid file path: path contains U+202E, an invisible direction-changing (bidi) control character',
    )
  })
})

describe('filePathCaseKey', () => {
  it('is equal for paths that differ only in case or normalization', () => {
    expect(filePathCaseKey('README.md')).toBe(filePathCaseKey('Readme.md'))
    expect(filePathCaseKey('Src/Ü.ts')).toBe(filePathCaseKey('src/u\u0308.ts'))
    expect(filePathCaseKey('ΟΔΟΣ')).toBe(filePathCaseKey('οδοσ'))
    expect(filePathCaseKey('İ')).toBe('i')
    expect(filePathCaseKey('a.ts')).not.toBe(filePathCaseKey('b.ts'))
  })
})

describe('doc names', () => {
  it('round-trips and refuses foreign names', () => {
    const p = '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b'
    const f = '5d2f0f0e-8a1b-4c3d-9e4f-a1b2c3d4e5f6'
    expect(parseDocName(docNameFor(p, f))).toEqual({ projectId: p, fileId: f })
    expect(parseDocName(`${p}/${f}/x`)).toBeNull()
    expect(parseDocName('hello')).toBeNull()
  })
})
