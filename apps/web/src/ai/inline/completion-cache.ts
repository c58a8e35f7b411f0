/**
 * Completions the editor got recently, so typing through a suggestion or backspacing over it costs no
 * request: a suggestion for prefix P still serves prefix P + t while its text starts with t (the rest is
 * shown). Bounded, newest first.
 */
export interface CachedCompletion {
  /** Identifies one model answer: a suggestion typed through stays the same suggestion (one "shown" event). */
  id: number
  docName: string
  prefix: string
  suffix: string
  text: string
  model: string
  latencyMs: number
}

export interface CacheHit {
  entry: CachedCompletion
  /** What is left to insert at the cursor. */
  rest: string
}

/** Prefixes are compared by their last characters only: enough to tell positions apart, cheap to compare. */
export const KEY_CHARS = 200
const MAX_ENTRIES = 50

export class CompletionCache {
  private entries: CachedCompletion[] = []
  private nextId = 1

  add(entry: Omit<CachedCompletion, 'id'>): CachedCompletion {
    const stored = { ...entry, prefix: entry.prefix.slice(-KEY_CHARS), id: this.nextId++ }
    this.entries = [stored, ...this.entries].slice(0, MAX_ENTRIES)
    return stored
  }

  /** Every distinct suggestion for this cursor, newest first. */
  lookup(docName: string, prefix: string, suffix: string): CacheHit[] {
    const hits: CacheHit[] = []
    for (const entry of this.entries) {
      if (entry.docName !== docName || entry.suffix !== suffix) continue
      const rest = restAfter(entry, prefix)
      if (rest && !hits.some((h) => h.rest === rest)) hits.push({ entry, rest })
    }
    return hits
  }
}

/** The entry's text after what was typed since: `prefix` must be the entry's prefix plus a start of its text. */
function restAfter(entry: CachedCompletion, prefix: string): string | null {
  const last = prefix[prefix.length - 1]
  for (let typed = 0; typed < entry.text.length; typed++) {
    // Cheap filter first: the last character typed must be the text's character at that offset.
    if (typed > 0 && entry.text[typed - 1] !== last) continue
    const cut = prefix.length - typed
    if (!prefix.endsWith(entry.prefix, cut)) continue
    if (prefix.startsWith(entry.text.slice(0, typed), cut)) return entry.text.slice(typed)
  }
  return null
}
