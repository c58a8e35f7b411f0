import type { SearchHit } from '../ai/ai-client'

/**
 * Pure shaping of search results for the panel: the query's terms, hits grouped by file, the lines of a hit
 * worth showing (those with a term; the first ones for a match by meaning), and highlight segments.
 */
export interface FileGroup {
  fileId: string
  path: string
  hits: ShownHit[]
}

export interface ShownLine {
  /** 1-based line number in the file. */
  line: number
  text: string
}

export interface ShownHit {
  hit: SearchHit
  lines: ShownLine[]
  /** Where a click puts the cursor: the first shown line. */
  targetLine: number
}

export interface Segment {
  text: string
  match: boolean
}

/** Lines shown per hit, and characters per line (a minified line would fill the panel). */
export const MAX_LINES_PER_HIT = 4
export const MAX_LINE_CHARS = 240

/** Words of the query worth highlighting: split on white space and punctuation, longest first, deduplicated. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}_$]+/gu) ?? []
  const unique = [...new Set(words)].filter((w) => w.length > 1 || words.length === 1)
  return unique.sort((a, b) => b.length - a.length)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function termPattern(terms: readonly string[]): RegExp | null {
  return terms.length === 0 ? null : new RegExp(terms.map(escapeRegExp).join('|'), 'giu')
}

/** Splits `text` into plain and matching segments (case-insensitive; longer terms win at one position). */
export function highlight(text: string, terms: readonly string[]): Segment[] {
  const pattern = termPattern(terms)
  if (!pattern || text === '') return [{ text, match: false }]
  const segments: Segment[] = []
  let last = 0
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) segments.push({ text: text.slice(last, m.index), match: false })
    segments.push({ text: m[0], match: true })
    last = m.index + m[0].length
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false })
  return segments
}

/** The lines of a hit to show: those containing a term, else its first non-blank lines. */
export function shownLines(hit: SearchHit, terms: readonly string[]): ShownLine[] {
  const all = hit.snippet
    .split('\n')
    .map((text, i) => ({ line: hit.startLine + i, text: text.replace(/\r$/, '').slice(0, MAX_LINE_CHARS) }))
    .filter((l) => l.line <= hit.endLine)
  const pattern = termPattern(terms)
  const matching = pattern ? all.filter((l) => l.text.search(pattern) >= 0) : []
  const chosen = matching.length > 0 ? matching : all.filter((l) => l.text.trim() !== '')
  return (chosen.length > 0 ? chosen : all).slice(0, MAX_LINES_PER_HIT)
}

/** Groups hits by file, files in order of their best hit (the results come best first), hits by line. */
export function groupByFile(hits: readonly SearchHit[], query: string): FileGroup[] {
  const terms = queryTerms(query)
  const groups = new Map<string, FileGroup>()
  for (const hit of hits) {
    let group = groups.get(hit.fileId)
    if (!group) {
      group = { fileId: hit.fileId, path: hit.path, hits: [] }
      groups.set(hit.fileId, group)
    }
    const lines = shownLines(hit, terms)
    group.hits.push({ hit, lines, targetLine: lines[0]?.line ?? hit.startLine })
  }
  for (const group of groups.values()) group.hits.sort((a, b) => a.hit.startLine - b.hit.startLine)
  return [...groups.values()]
}
