/**
 * Tokens for full-text search. PostgreSQL's parser does not split `parseDocName` or `parse_doc_name`, so the
 * text we hand it is built here: every identifier whole (lowercased, underscores dropped: `parsedocname`) for
 * the `simple` configuration, which keeps exact names findable, and its parts split at camelCase, snake_case
 * and digits (`parse doc name`, `utf 8 decode`) for the `english` configuration, which stems them (`parsing`
 * finds `parse`) and drops English stop words. Queries go through the same two functions, so both sides agree.
 */

const WORD = /[\p{L}\p{N}_]+/gu
const PART_BOUNDARY =
  /_+|(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u

/** `parseDocName_v2` -> parse, doc, name, v, 2. */
export function identifierParts(word: string): string[] {
  return word
    .split(PART_BOUNDARY)
    .filter((p) => p.length > 0)
    .map((p) => p.toLowerCase())
}

/** `parse_doc_name` -> `parsedocname`; `''` for a word that is only underscores. */
function wholeWord(word: string): string {
  return word.replaceAll('_', '').toLowerCase()
}

export interface FtsText {
  /** Whole identifiers, for `to_tsvector('simple', …)`. */
  simple: string
  /** Identifier parts, for `to_tsvector('english', …)`. */
  english: string
  /** How many identifier parts: the chunk's length for ranking. */
  tokens: number
}

/** The two texts a chunk's full-text vector is built from. */
export function ftsText(code: string): FtsText {
  const simple: string[] = []
  const english: string[] = []
  for (const word of code.match(WORD) ?? []) {
    const whole = wholeWord(word)
    if (whole) simple.push(whole)
    english.push(...identifierParts(word))
  }
  return { simple: simple.join(' '), english: english.join(' '), tokens: english.length }
}

/** Most distinct terms of each kind taken from one query. */
export const MAX_QUERY_TERMS = 48

export interface QueryTerms {
  simple: string[]
  english: string[]
}

/**
 * The terms of a user's query. They contain only letters and digits, so joining them with ` | ` gives a
 * tsquery that cannot carry operators from the user (`&|!():*<>'"\` are never in a term).
 */
export function queryTerms(q: string): QueryTerms {
  const simple = new Set<string>()
  const english = new Set<string>()
  for (const word of q.match(WORD) ?? []) {
    const parts = identifierParts(word)
    // A one-part word is its own part: searching it twice would count it twice.
    const whole = wholeWord(word)
    if (whole && parts.length > 1 && simple.size < MAX_QUERY_TERMS) simple.add(whole)
    for (const part of parts) if (english.size < MAX_QUERY_TERMS) english.add(part)
  }
  return { simple: [...simple], english: [...english] }
}
