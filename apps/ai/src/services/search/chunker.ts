/**
 * Splits a file into chunks along its structure, about 40–80 lines each, never inside a line.
 *
 * For brace languages (C family, JS/TS, Go, Rust, Java, CSS, JSON…) a small scanner tracks the bracket depth at
 * the start of every line, skipping strings and comments; for every other language the depth is the line's
 * indentation. A chunk ends where a cut costs least: at the lowest depth (between top-level functions, classes
 * and blocks), preferably after a blank line, never between a doc comment or decorator and what follows it.
 * This is a scanner, not a full parser: a regex literal holding a quote can throw its depth off until the
 * next line balances it, which only makes a cut a little worse.
 */

export interface Chunk {
  /** 1-based, inclusive. */
  startLine: number
  endLine: number
  text: string
}

export interface ChunkOptions {
  minLines?: number
  maxLines?: number
  /** Most chunks returned; the rest of the file is not indexed. */
  maxChunks?: number
}

export const CHUNK_MIN_LINES = 40
export const CHUNK_MAX_LINES = 80
/** Bump when chunking or full-text tokens change: every file is re-indexed once at the next start. */
export const CHUNKER_VERSION = 1

const BRACE_LANGUAGES = new Set(
  (
    'js jsx mjs cjs ts tsx mts cts java c h cc cpp cxx hpp hh cs go rs swift kt kts scala php css scss less ' +
    'json jsonc dart groovy gradle proto zig sol'
  ).split(' '),
)

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/** Bracket depth at the start of each line, outside strings and comments. */
function braceDepths(lines: string[]): number[] {
  const depths: number[] = []
  let depth = 0
  let inBlock = false
  let quote: string | null = null
  for (const line of lines) {
    depths.push(depth)
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i]
      if (inBlock) {
        if (c === '*' && line[i + 1] === '/') {
          inBlock = false
          i += 1
        }
      } else if (quote) {
        if (c === '\\') i += 1
        else if (c === quote) quote = null
      } else if (c === '/' && line[i + 1] === '/') break
      else if (c === '/' && line[i + 1] === '*') {
        inBlock = true
        i += 1
      } else if (c === '"' || c === "'" || c === '`') quote = c
      else if (c === '{' || c === '(' || c === '[') depth += 1
      else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1)
    }
    // Only template literals span lines; an unclosed ' or " is a scanning slip, not a string.
    if (quote !== '`') quote = null
  }
  return depths
}

/** Indentation of each line in columns; a blank line takes the indentation of the next non-blank one. */
function indentDepths(lines: string[]): number[] {
  const depths = new Array<number>(lines.length).fill(0)
  let next = 0
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i]!
    if (line.trim() === '') depths[i] = next
    else {
      const indent = /^[ \t]*/.exec(line)![0]
      next = [...indent].reduce((n, ch) => n + (ch === '\t' ? 4 : 1), 0) / 2
      depths[i] = next
    }
  }
  return depths
}

const LEADING = /^\s*(\/\/|\/\*|\*|#|@|"""|'''|--)/

/** Cost of a cut just before line `i` (lower is better). */
function cutCost(lines: string[], depths: number[], i: number): number {
  const prev = lines[i - 1] ?? ''
  const line = lines[i] ?? ''
  let cost = (depths[i] ?? 0) * 10
  if (prev.trim() !== '') cost += 3
  // Keep a doc comment, decorator or annotation with the code under it.
  if (LEADING.test(prev) && line.trim() !== '') cost += 6
  // A closing bracket belongs to the block above it.
  if (/^\s*[)}\]]/.test(line)) cost += 5
  return cost
}

export function chunkText(text: string, path: string, options: ChunkOptions = {}): Chunk[] {
  const minLines = options.minLines ?? CHUNK_MIN_LINES
  const maxLines = options.maxLines ?? CHUNK_MAX_LINES
  const maxChunks = options.maxChunks ?? Number.POSITIVE_INFINITY
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const depths = BRACE_LANGUAGES.has(extensionOf(path)) ? braceDepths(lines) : indentDepths(lines)
  const chunks: Chunk[] = []
  let start = 0
  while (start < lines.length && chunks.length < maxChunks) {
    let end = lines.length
    if (lines.length - start > maxLines) {
      end = start + maxLines
      let best = Number.POSITIVE_INFINITY
      // Latest cut among the cheapest: fewer, fuller chunks.
      for (let i = start + minLines; i <= start + maxLines; i += 1) {
        const cost = cutCost(lines, depths, i)
        if (cost <= best) {
          best = cost
          end = i
        }
      }
    }
    const chunk = trimmed(lines, start, end)
    if (chunk) chunks.push(chunk)
    start = end
  }
  return chunks
}

/** Lines [start, end) without leading and trailing blank lines; `null` when all are blank. */
function trimmed(lines: string[], start: number, end: number): Chunk | null {
  let s = start
  let e = end
  while (s < e && lines[s]!.trim() === '') s += 1
  while (e > s && lines[e - 1]!.trim() === '') e -= 1
  if (s === e) return null
  return { startLine: s + 1, endLine: e, text: lines.slice(s, e).join('\n') }
}
