import { describe, expect, it } from 'vitest'
import { parseMentions } from './mentions'

describe('chat mentions', () => {
  it('finds @file paths (once each, without trailing punctuation) and @codebase', () => {
    expect(
      parseMentions('compare @file:src/a.ts and @file:lib/b.py, then @file:src/a.ts. @codebase'),
    ).toEqual({
      files: ['src/a.ts', 'lib/b.py'],
      codebase: true,
    })
    expect(parseMentions('mail me@file:x.ts or @codebases')).toEqual({ files: [], codebase: false })
  })
})
