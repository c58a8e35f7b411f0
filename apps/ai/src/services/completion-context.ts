/**
 * Repository context for inline completion: snippets from other places of the project put ahead of the
 * fill-in-the-middle prompt, within a character budget. Pure: the caller reads the texts.
 *
 * Priority (what survives a small budget): the user's recent edits, then code search hits, then the window of
 * each other open file that shares the most identifiers with the lines above the cursor (Tabby and Continue
 * rank "similar snippets" the same way, by Jaccard similarity). The highest-priority snippet is rendered last,
 * nearest the cursor, where a causal model weighs it most.
 */

export interface Snippet {
  path: string
  text: string
}

export interface RepoContextInput {
  /** Text before the cursor: its last lines are what open files are matched against. */
  prefix: string
  recent: Snippet[]
  search: Snippet[]
  /** Other open files, whole texts (only their first `OPEN_FILE_SCAN_CHARS` are scanned). */
  open: Snippet[]
  /** Characters of snippet text in all. */
  budget: number
}

/** Lines per window of an open file, and how far windows step. */
const WINDOW_LINES = 12
const WINDOW_STEP = 6
/** A long open file is only scanned this far: the prompt must be built in a few milliseconds. */
export const OPEN_FILE_SCAN_CHARS = 40_000
/** Lines above the cursor that make the query of the similarity match. */
const QUERY_LINES = 10

/** Picks snippets by priority until the budget is spent; returns them in prompt order (lowest priority first). */
export function selectContext(input: RepoContextInput): Snippet[] {
  const candidates = [...input.recent, ...input.search, ...bestWindows(input.prefix, input.open)]
  const picked: Snippet[] = []
  let left = input.budget
  for (const s of candidates) {
    if (left <= 0) break
    const text = clipLines(s.text, left)
    if (text.trim() === '') continue
    picked.push({ path: s.path, text })
    left -= text.length
  }
  return picked.reverse()
}

/** Each open file's most similar window to the lines above the cursor, best first; files sharing nothing are left out. */
export function bestWindows(prefix: string, open: Snippet[]): Snippet[] {
  const query = identifiers(lastLines(prefix, QUERY_LINES))
  if (query.size === 0) return []
  const scored: { snippet: Snippet; score: number }[] = []
  for (const file of open) {
    const { lines, sizes, postings } = windowsOf(file.text)
    // Shared identifiers per window from the postings of the query's identifiers: rare ones touch few windows.
    const shared = new Uint16Array(sizes.length)
    for (const id of query) for (const w of postings.get(id) ?? []) shared[w]! += 1
    let best = { score: 0, start: 0 }
    shared.forEach((n, w) => {
      const score = n === 0 ? 0 : n / (query.size + sizes[w]! - n)
      if (score > best.score) best = { score, start: w * WINDOW_STEP }
    })
    if (best.score === 0) continue
    const text = lines.slice(best.start, best.start + WINDOW_LINES).join('\n')
    scored.push({ snippet: { path: file.path, text }, score: best.score })
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.snippet)
}

/**
 * A text's lines and the identifier set of each window, memoized by the text itself: the same open file is
 * matched on every keystroke (the sources keep its string for a few seconds), so it is split once.
 */
interface Windows {
  lines: string[]
  /** Distinct identifiers per window. */
  sizes: number[]
  /** Identifier -> the windows that contain it. */
  postings: Map<string, number[]>
}
const windowCache = new Map<string, Windows>()
const WINDOW_CACHE_FILES = 64

function windowsOf(text: string): Windows {
  const hit = windowCache.get(text)
  if (hit) return hit
  const lines = text.slice(0, OPEN_FILE_SCAN_CHARS).split('\n')
  const sizes: number[] = []
  const postings = new Map<string, number[]>()
  for (let start = 0; start < lines.length; start += WINDOW_STEP) {
    const ids = identifiers(lines.slice(start, start + WINDOW_LINES).join('\n'))
    for (const id of ids) {
      const list = postings.get(id)
      if (list) list.push(sizes.length)
      else postings.set(id, [sizes.length])
    }
    sizes.push(ids.size)
    if (start + WINDOW_LINES >= lines.length) break
  }
  const entry = { lines, sizes, postings }
  windowCache.set(text, entry)
  if (windowCache.size > WINDOW_CACHE_FILES) windowCache.delete(windowCache.keys().next().value as string)
  return entry
}

function lastLines(text: string, n: number): string {
  let at = text.length
  for (let i = 0; i < n && at > 0; i++) at = text.lastIndexOf('\n', at - 1)
  return text.slice(Math.max(0, at + 1))
}

function identifiers(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_$][\w$]{2,}/g) ?? [])
}

/** The whole lines at the start of `text` that fit in `max` characters (none when not even one fits). */
function clipLines(text: string, max: number): string {
  if (text.length <= max) return text
  const nl = text.lastIndexOf('\n', max)
  return nl > 0 ? text.slice(0, nl) : ''
}

/** Qwen2.5-Coder's repository-level format: `<|repo_name|>` once, then a `<|file_sep|>` block per snippet. */
export function renderQwenContext(repoName: string, snippets: Snippet[]): string {
  if (snippets.length === 0) return ''
  const blocks = snippets.map((s) => `<|file_sep|>${s.path}\n${s.text}\n`)
  return `<|repo_name|>${repoName}\n${blocks.join('')}`
}
