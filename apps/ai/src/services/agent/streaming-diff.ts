/**
 * Turns old text plus new text arriving in pieces into character-level edits, as the pieces arrive: a
 * simplified streaming diff in the spirit of Zed's `streaming_diff`.
 *
 * Edits walk the old text from start to end: `keep` n old characters, `delete` n old characters, `insert` text
 * before the next old character. Applying them in order to the old text gives the new text exactly.
 *
 * Decisions are per line. A new line that is still the beginning of one of the next old lines waits (it is
 * probably unchanged). Once it diverges, it is either a modified version of the current old line (they share a
 * non-blank prefix: the prefix is kept and the rest is typed as it streams; the old rest of the line is deleted
 * at the line end) or a new line (typed as it streams). A completed line equal to one of the next old lines
 * keeps that line and deletes the old lines skipped; a waiting line that completes as a change of the current
 * old line keeps their common prefix and suffix and replaces the middle. Old lines left at the end are deleted.
 */
export type DiffOp = { op: 'keep'; n: number } | { op: 'delete'; n: number } | { op: 'insert'; text: string }

/** How many old lines ahead a new line is looked for (further away: it is treated as inserted). */
const LOOKAHEAD = 16

export class StreamingDiff {
  private readonly lines: string[]
  private j = 0
  private cur = ''
  private mode: 'pending' | 'modify' | 'insert' = 'pending'
  /** In `modify` mode: how much of the current old line has been kept. */
  private col = 0

  constructor(old: string) {
    this.lines = old === '' ? [] : (old.match(/[^\n]*\n|[^\n]+$/g) ?? [])
  }

  push(text: string): DiffOp[] {
    const out: DiffOp[] = []
    for (const ch of text) {
      this.cur += ch
      if (ch === '\n') this.finishLine(out)
      else if (this.mode === 'pending') this.maybeDiverge(out)
      else if (this.mode === 'insert' || this.mode === 'modify') out.push({ op: 'insert', text: ch })
    }
    return mergeOps(out)
  }

  end(): DiffOp[] {
    const out: DiffOp[] = []
    if (this.cur !== '') this.finishLine(out)
    const rest = this.lines.slice(this.j).join('').length
    if (rest > 0) out.push({ op: 'delete', n: rest })
    this.j = this.lines.length
    return mergeOps(out)
  }

  private maybeDiverge(out: DiffOp[]): void {
    const ahead = this.lines.slice(this.j, this.j + LOOKAHEAD)
    if (ahead.some((l) => l.startsWith(this.cur))) return
    const old = this.lines[this.j]
    const cp = old === undefined ? 0 : commonPrefix(old, this.cur)
    if (old !== undefined && old.slice(0, cp).trim() !== '') {
      this.mode = 'modify'
      this.col = cp
      out.push({ op: 'keep', n: cp }, { op: 'insert', text: this.cur.slice(cp) })
    } else {
      this.mode = 'insert'
      out.push({ op: 'insert', text: this.cur })
    }
  }

  private finishLine(out: DiffOp[]): void {
    const line = this.cur
    const newline = line.endsWith('\n')
    if (this.mode === 'insert') {
      if (newline) out.push({ op: 'insert', text: '\n' })
    } else if (this.mode === 'modify') {
      const rest = this.lines[this.j]!.slice(this.col)
      if (newline && rest.endsWith('\n')) out.push({ op: 'delete', n: rest.length - 1 }, { op: 'keep', n: 1 })
      else {
        out.push({ op: 'delete', n: rest.length })
        if (newline) out.push({ op: 'insert', text: '\n' })
      }
      this.j++
    } else {
      this.finishPending(line, out)
    }
    this.cur = ''
    this.mode = 'pending'
    this.col = 0
  }

  private finishPending(line: string, out: DiffOp[]): void {
    const k = this.lines.slice(this.j, this.j + LOOKAHEAD).indexOf(line)
    if (k >= 0) {
      const skipped = this.lines.slice(this.j, this.j + k).join('').length
      if (skipped > 0) out.push({ op: 'delete', n: skipped })
      out.push({ op: 'keep', n: line.length })
      this.j += k + 1
      return
    }
    const old = this.lines[this.j]
    if (old !== undefined) {
      const cp = commonPrefix(old, line)
      const cs = commonSuffix(old.slice(cp), line.slice(cp))
      const shared = old.slice(0, cp) + old.slice(old.length - cs)
      if (shared.trim() !== '') {
        out.push(
          { op: 'keep', n: cp },
          { op: 'delete', n: old.length - cp - cs },
          { op: 'insert', text: line.slice(cp, line.length - cs) },
          { op: 'keep', n: cs },
        )
        this.j++
        return
      }
    }
    out.push({ op: 'insert', text: line })
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

function commonSuffix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++
  return i
}

/** Drops empty edits and joins neighbours of the same kind. */
export function mergeOps(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = []
  for (const o of ops) {
    if (o.op === 'insert' ? o.text === '' : o.n === 0) continue
    const last = out.at(-1)
    if (last?.op === 'insert' && o.op === 'insert') last.text += o.text
    else if (last && last.op === o.op && last.op !== 'insert') last.n += (o as { n: number }).n
    else out.push({ ...o })
  }
  return out
}

/** Applies edits to the old text (the reference the Yjs applier must agree with; used in tests). */
export function applyOps(old: string, ops: DiffOp[]): string {
  let p = 0
  let out = ''
  for (const o of ops) {
    if (o.op === 'keep') out += old.slice(p, (p += o.n))
    else if (o.op === 'delete') p += o.n
    else out += o.text
  }
  return out + old.slice(p)
}
