import { describe, expect, it } from 'vitest'
import { identifierTokens, localEmbed } from './local-embedder'

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0)

describe('local embedder', () => {
  it('splits camelCase and snake_case identifiers', () => {
    expect(identifierTokens('parseDocName(doc_name, HTTPServer)')).toEqual([
      'parse',
      'doc',
      'name',
      'doc',
      'name',
      'http',
      'server',
    ])
  })

  it('gives fixed-size unit vectors, closer for texts that share identifiers', () => {
    const a = localEmbed('function parseDocName(name) { return split(name) }', 64)
    const b = localEmbed('const docName = parseDocName(input)', 64)
    const c = localEmbed('SELECT count(*) FROM users WHERE email = $1', 64)
    expect(a).toHaveLength(64)
    expect(Math.hypot(...a)).toBeCloseTo(1, 6)
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c))
    expect(localEmbed('', 8)).toEqual(new Array(8).fill(0))
  })
})
