import { describe, expect, it } from 'vitest'
import { languageForPath } from './language'

describe('languageForPath', () => {
  it.each([
    ['src/index.ts', 'typescript'],
    ['App.TSX', 'typescript'],
    ['a/b/c.py', 'python'],
    ['Dockerfile', 'dockerfile'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['.env', 'plaintext'],
    ['README', 'plaintext'],
    ['notes.unknown', 'plaintext'],
  ])('%s -> %s', (path, lang) => {
    expect(languageForPath(path)).toBe(lang)
  })
})
