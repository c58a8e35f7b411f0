import { describe, expect, it } from 'vitest'
import { filePathProblem, MAX_PATH_LENGTH } from './file-path'
import { docNameFor, parseDocName } from './doc-name'

describe('filePathProblem', () => {
  it.each(['a.ts', 'src/index.ts', 'deep/er/file.tsx', '.github/workflows/ci.yml', 'ümlaut.md'])(
    'accepts %s',
    (p) => {
      expect(filePathProblem(p)).toBeNull()
    },
  )
  it.each([
    ['', /empty/],
    ['/etc/passwd', /relative/],
    ['C:/x', /relative/],
    ['../x', /normalized/],
    ['a/../b', /normalized/],
    ['./a', /normalized/],
    ['a//b', /empty segment/],
    ['a/', /end with/],
    ['a\u0000b', /control/],
    ['a\\b', /separator/],
    [' a', /white space/],
    ['x'.repeat(MAX_PATH_LENGTH + 1), /longer/],
    ['a/' + 'y'.repeat(256), /segment is longer/],
    ['u\u0308mlaut.md', /NFC/],
  ])('refuses %j', (p, why) => {
    expect(filePathProblem(p)).toMatch(why)
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
