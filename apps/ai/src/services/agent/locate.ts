/**
 * Finds the model's old text in the current file text, tolerating the drift models introduce: first an exact
 * match, then a match with every run of whitespace counted as one space, then a match of whole lines compared
 * with their indentation and trailing spaces trimmed. Only matches inside `within` (offsets) count; the first
 * match wins, so the model is asked to quote enough lines to be unique.
 */
export interface Span {
  start: number
  end: number
}

export function locate(
  text: string,
  old: string,
  within: Span = { start: 0, end: text.length },
): Span | null {
  if (old.trim() === '') return null
  return exact(text, old, within) ?? collapsedWhitespace(text, old, within) ?? trimmedLines(text, old, within)
}

function exact(text: string, old: string, within: Span): Span | null {
  const at = text.indexOf(old, within.start)
  return at >= 0 && at + old.length <= within.end ? { start: at, end: at + old.length } : null
}

/** Maps each kept character of the normalised text back to its offset in the original. */
function normalise(s: string, from: number, to: number): { norm: string; map: number[] } {
  let norm = ''
  const map: number[] = []
  let inSpace = false
  for (let i = from; i < to; i++) {
    const ch = s[i]!
    if (/\s/.test(ch)) {
      if (!inSpace) {
        norm += ' '
        map.push(i)
      }
      inSpace = true
    } else {
      norm += ch
      map.push(i)
      inSpace = false
    }
  }
  return { norm, map }
}

function collapsedWhitespace(text: string, old: string, within: Span): Span | null {
  const needle = normalise(old.trim(), 0, old.trim().length).norm
  const hay = normalise(text, within.start, within.end)
  const at = hay.norm.indexOf(needle)
  if (at < 0) return null
  const start = hay.map[at]!
  const last = hay.map[at + needle.length - 1]!
  return { start, end: last + 1 }
}

function trimmedLines(text: string, old: string, within: Span): Span | null {
  const want = old
    .split('\n')
    .map((l) => l.trim())
    .filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1))
  if (want.length === 0) return null
  const starts: number[] = []
  for (let i = within.start; i <= within.end; i = text.indexOf('\n', i) + 1 || within.end + 1) starts.push(i)
  const lineAt = (k: number) => text.slice(starts[k], lineEnd(text, starts[k]!, within.end)).trim()
  for (let k = 0; k + want.length <= starts.length; k++) {
    if (want.every((w, d) => lineAt(k + d) === w)) {
      const first = starts[k]!
      const lastStart = starts[k + want.length - 1]!
      const start = first + (text.slice(first).length - text.slice(first).trimStart().length)
      const end = lineEnd(text, lastStart, within.end)
      return { start: Math.min(start, end), end: trimEndOffset(text, lastStart, end) }
    }
  }
  return null
}

function lineEnd(text: string, start: number, limit: number): number {
  const nl = text.indexOf('\n', start)
  return nl < 0 || nl > limit ? limit : nl
}

function trimEndOffset(text: string, from: number, end: number): number {
  let e = end
  while (e > from && /\s/.test(text[e - 1]!)) e--
  return e
}

/** Offsets of a 1-based line/column range (columns optional: whole lines), clamped to the text. */
export function rangeOffsets(
  text: string,
  range: { startLine: number; startColumn?: number; endLine: number; endColumn?: number },
): Span {
  const lineStarts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const at = (line: number, column: number | undefined, endOfLine: boolean) => {
    const idx = Math.min(line, lineStarts.length) - 1
    const start = lineStarts[idx]!
    const stop = idx + 1 < lineStarts.length ? lineStarts[idx + 1]! : text.length
    if (column === undefined) return endOfLine ? stop : start
    return Math.min(start + column - 1, stop)
  }
  return {
    start: at(range.startLine, range.startColumn, false),
    end: at(range.endLine, range.endColumn, true),
  }
}
