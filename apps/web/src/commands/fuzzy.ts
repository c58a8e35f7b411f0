/** A query matched against a text: higher `score` is better; `indices` are the matched characters. */
export interface FuzzyMatch {
  score: number
  indices: number[]
}

const SEPARATORS = new Set(['/', '.', '-', '_', ' ', ':'])

/**
 * Matches `query` as a case-insensitive subsequence of `text` (spaces in the query are ignored), or returns
 * null. Characters that start a word (after a separator or at a lower-to-upper case change), runs of
 * consecutive characters and matches in the last path segment score higher, so "fbar" ranks `src/foo/bar.ts`
 * above `src/fancy/bigarray.ts`. Greedy left to right, then one pass that prefers word starts: good enough
 * for hundreds of paths, and cheap.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (q === '') return { score: 0, indices: [] }
  const lower = text.toLowerCase()
  const baseStart = text.lastIndexOf('/') + 1
  const indices: number[] = []
  let from = 0
  for (let k = 0; k < q.length; k++) {
    const i = nextIndex(text, lower, q, k, from)
    if (i < 0) return null
    indices.push(i)
    from = i + 1
  }
  let score = 0
  indices.forEach((i, k) => {
    score += 1
    if (isWordStart(text, i)) score += 8
    if (k > 0 && indices[k - 1] === i - 1) score += 5
    if (i >= baseStart) score += 2
  })
  // Shorter texts win ties: "main.ts" before "main.test.ts".
  return { score: score - text.length * 0.01, indices }
}

/**
 * Where the query's character `k` matches from `from`: a later word start when the rest of the query still
 * matches after it, else the first occurrence.
 */
function nextIndex(text: string, lower: string, q: string, k: number, from: number): number {
  const ch = q[k]!
  const first = lower.indexOf(ch, from)
  if (first < 0 || isWordStart(text, first)) return first
  for (let i = first + 1; i < lower.length; i++) {
    if (lower[i] === ch && isWordStart(text, i) && isSubsequence(q.slice(k + 1), lower, i + 1)) return i
  }
  return first
}

function isSubsequence(q: string, lower: string, from: number): boolean {
  for (const ch of q) {
    const i = lower.indexOf(ch, from)
    if (i < 0) return false
    from = i + 1
  }
  return true
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true
  const prev = text[i - 1]!
  const cur = text[i]!
  return SEPARATORS.has(prev) || (prev === prev.toLowerCase() && cur !== cur.toLowerCase())
}

/**
 * Items whose label matches `query`, best first; ties keep the input order (so callers put recent items
 * first). An empty query keeps every item in its order.
 */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  label: (item: T) => string,
): { item: T; match: FuzzyMatch }[] {
  const out: { item: T; match: FuzzyMatch; order: number }[] = []
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, label(item))
    if (match) out.push({ item, match, order })
  })
  out.sort((a, b) => b.match.score - a.match.score || a.order - b.order)
  return out.map(({ item, match }) => ({ item, match }))
}
