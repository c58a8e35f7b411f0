import * as Y from 'yjs'
import type { Author, ClientAuthor, EditRange } from '@mimiverse/db'

/** Who last wrote a line, and when (null when nothing recorded says: text older than authorship records). */
export interface BlameLine {
  /** 1-based. */
  line: number
  author: Author | null
  at: Date | null
}

interface Span {
  from: number
  to: number
  author: Author
  at: Date | null
}

/** The edit ranges of each client, sorted by clock, with client ids' first authors as the fallback. */
function spansByClient(edits: EditRange[], clients: ClientAuthor[]): Map<number, Span[]> {
  const by = new Map<number, Span[]>()
  for (const e of edits) {
    if (e.clockTo <= e.clockFrom) continue
    const list = by.get(e.clientId) ?? []
    list.push({ from: e.clockFrom, to: e.clockTo, author: e, at: e.lastAt })
    by.set(e.clientId, list)
  }
  for (const list of by.values()) list.sort((a, b) => a.from - b.from)
  for (const c of clients) {
    // A range lost in a crash before it was written: the client id's first author, with no time.
    const list = by.get(c.clientId) ?? []
    list.push({ from: Number.MAX_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER, author: c, at: null })
    by.set(c.clientId, list)
  }
  return by
}

function find(spans: Span[] | undefined, clock: number): Span | null {
  if (!spans) return null
  let lo = 0
  let hi = spans.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = spans[mid]!
    if (clock < s.from) hi = mid - 1
    else if (clock >= s.to) lo = mid + 1
    else return s
  }
  const fallback = spans.at(-1)
  return fallback?.from === Number.MAX_SAFE_INTEGER ? fallback : null
}

/**
 * Blame of a text: for each line, the author of its most recently written character. Every live character is
 * a Yjs item `(client, clock)`; the server recorded which authenticated connection added which clock ranges,
 * so this needs no history replay: one pass over the text's items.
 */
export function blame(text: Y.Text, edits: EditRange[], clients: ClientAuthor[]): BlameLine[] {
  const spans = spansByClient(edits, clients)
  const lines: BlameLine[] = []
  let current: BlameLine = { line: 1, author: null, at: null }
  const take = (span: Span | null) => {
    if (!span) return
    const newer = !current.author || (span.at && (!current.at || span.at >= current.at))
    if (newer) {
      current.author = { kind: span.author.kind, userId: span.author.userId, runId: span.author.runId }
      current.at = span.at
    }
  }
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue
    const str = item.content.str
    for (let i = 0; i < str.length; i++) {
      take(find(spans.get(item.id.client), item.id.clock + i))
      if (str[i] === '\n') {
        lines.push(current)
        current = { line: current.line + 1, author: null, at: null }
      }
    }
  }
  lines.push(current)
  return lines
}
