/**
 * A line diff of two texts in the unified format (`@@ -a,b +c,d @@`, three lines of context), for the run's
 * "show diff" tool. Common head and tail lines are set aside first; the middle is compared by longest common
 * subsequence, bounded: past `MAX_CELLS` comparisons the middle is shown as replaced whole (correct, longer).
 */
const CONTEXT = 3
const MAX_CELLS = 4_000_000

type Line = { op: ' ' | '-' | '+'; text: string }

export function unifiedDiff(before: string, after: string): string {
  if (before === after) return ''
  const a = splitLines(before)
  const b = splitLines(after)
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a.at(-1 - tail) === b.at(-1 - tail)) tail++
  const lines: Line[] = [
    ...a.slice(0, head).map((text) => ({ op: ' ' as const, text })),
    ...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text })),
  ]
  return hunks(lines).join('\n')
}

function splitLines(s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n')
}

function middle(a: string[], b: string[]): Line[] {
  if (a.length * b.length > MAX_CELLS) {
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ]
  }
  const w = b.length + 1
  const lcs = new Uint32Array((a.length + 1) * w)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!)
    }
  }
  const out: Line[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++]! })
      j++
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      out.push({ op: '-', text: a[i++]! })
    } else {
      out.push({ op: '+', text: b[j++]! })
    }
  }
  return out
}

/** Groups changed lines with `CONTEXT` lines around them into hunks with their headers. */
function hunks(lines: Line[]): string[] {
  const out: string[] = []
  const changed = lines.flatMap((l, i) => (l.op === ' ' ? [] : [i]))
  let k = 0
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT)
    let end = changed[k]!
    while (k < changed.length && changed[k]! - end <= 2 * CONTEXT) end = changed[k++]!
    const stop = Math.min(lines.length, end + CONTEXT + 1)
    const before = lines.slice(0, start)
    const oldStart = before.filter((l) => l.op !== '+').length + 1
    const newStart = before.filter((l) => l.op !== '-').length + 1
    const part = lines.slice(start, stop)
    const oldLen = part.filter((l) => l.op !== '+').length
    const newLen = part.filter((l) => l.op !== '-').length
    out.push(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@`, ...part.map((l) => `${l.op}${l.text}`))
  }
  return out
}
