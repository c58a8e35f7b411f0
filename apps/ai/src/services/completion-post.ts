/**
 * Post-processing of a raw inline completion, in order: cut at a leaked special token, keep one line when the
 * cursor context calls for a single line, drop lines that repeat the code after the cursor (or themselves),
 * and keep brackets balanced (no closer the suffix already has, no block left open by a truncated answer).
 * Pure and fast: it runs on every completion, reused or not.
 */

export interface PostContext {
  prefix: string
  suffix: string
  multiline: boolean
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }
const CLOSERS = new Set([')', ']', '}'])

/**
 * Multi-line when the cursor ends its line (nothing but closers after it) and the line so far is blank or
 * opens a block (`{`, `(`, `[`, `:`, `=>`); a single line otherwise (Tabby and Continue decide the same way).
 */
export function wantsMultiline(prefix: string, suffix: string): boolean {
  const rest = suffix.slice(0, lineEnd(suffix))
  if (/[^\s)\]}'"`;,]/.test(rest)) return false
  const before = prefix.slice(prefix.lastIndexOf('\n') + 1)
  return before.trim() === '' || /([{([:]|=>)\s*$/.test(before)
}

export function postProcess(raw: string, ctx: PostContext): string {
  let out = dropLeakedTokens(raw)
  if (!ctx.multiline) out = out.slice(0, lineEnd(out))
  out = dropRepeats(out, ctx.suffix)
  out = balanceBrackets(out, ctx.suffix)
  return out.trimEnd()
}

/** Cuts at the first `<|…|>` token: anything after it belongs to another "file" the model imagined. */
export function dropLeakedTokens(text: string): string {
  const leak = text.search(/<\|[a-z_]+\|>/)
  return leak >= 0 ? text.slice(0, leak) : text
}

/**
 * Drops trailing lines that repeat the next lines of the suffix (models re-emit what they were shown), and
 * collapses a line the model repeated back to back. Lines of one character (`}`) are never judged: they may
 * legitimately close blocks the completion opened.
 */
export function dropRepeats(text: string, suffix: string): string {
  const lines = text.split('\n')
  const kept: string[] = []
  for (const line of lines) {
    const prev = kept[kept.length - 1]
    if (prev !== undefined && significant(line) && line.trim() === prev.trim()) continue
    kept.push(line)
  }
  const next = suffix
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  for (let n = Math.min(kept.length - 1, next.length); n > 0; n--) {
    const tail = kept.slice(kept.length - n).map((l) => l.trim())
    if (tail.every((l, i) => l === next[i]) && tail.some(significant)) {
      kept.length -= n
      break
    }
  }
  return kept.join('\n')
}

/**
 * Scans brackets outside strings. A closer the completion did not open is cut when the suffix supplies it
 * next (typing `foo(` with `)` after the cursor: the model's own `)` would double it). A multi-line answer
 * that ends with blocks still open (the token budget ran out) is cut back to the last line where every block
 * it opened is closed; when there is none, only its first line stays.
 */
export function balanceBrackets(text: string, suffix: string): string {
  const stack: string[] = []
  const nextInSuffix = suffix.trimStart()[0]
  let quote: string | null = null
  let lastBalancedLineEnd = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote || (c === '\n' && quote !== '`')) quote = null
      continue
    }
    if (c === '"' || c === "'" || c === '`') quote = c
    else if (c in OPENERS) stack.push(OPENERS[c]!)
    else if (CLOSERS.has(c)) {
      if (stack.length === 0) {
        if (c === nextInSuffix) return text.slice(0, i)
        continue
      }
      if (stack[stack.length - 1] === c) stack.pop()
    } else if (c === '\n' && stack.length === 0) lastBalancedLineEnd = i
  }
  if (stack.length === 0 || !text.includes('\n')) return text
  if (lastBalancedLineEnd >= 0) return text.slice(0, lastBalancedLineEnd)
  return text.slice(0, lineEnd(text))
}

function significant(line: string): boolean {
  return line.trim().length > 1
}

function lineEnd(text: string): number {
  const nl = text.indexOf('\n')
  return nl < 0 ? text.length : nl
}
