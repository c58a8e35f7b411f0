import { describe, expect, it } from 'vitest'
import { ftsText, identifierParts, queryTerms } from './tokenize'

describe('search tokens', () => {
  it('splits identifiers at camelCase, snake_case and digits', () => {
    expect(identifierParts('parseDocName_v2')).toEqual(['parse', 'doc', 'name', 'v', '2'])
    expect(identifierParts('HTTPServer')).toEqual(['http', 'server'])
    expect(identifierParts('utf8Decode')).toEqual(['utf', '8', 'decode'])
    expect(ftsText('const x = parse_doc_name(a)')).toEqual({
      simple: 'const x parsedocname a',
      english: 'const x parse doc name a',
      tokens: 6,
    })
  })

  it('keeps only letters and digits in query terms, whatever the user typed', () => {
    const terms = queryTerms(`hexToRgb' | !(x):* <-> "y" \\ & émigré`)
    expect(terms).toEqual({ simple: ['hextorgb'], english: ['hex', 'to', 'rgb', 'x', 'y', 'émigré'] })
    for (const t of [...terms.simple, ...terms.english]) expect(t).toMatch(/^[\p{L}\p{N}]+$/u)
    expect(queryTerms('&|!():*<>\'"\\')).toEqual({ simple: [], english: [] })
  })
})
