/**
 * A small edit script between two texts, for writing a new version of a file into a live Yjs document (the
 * `mimi` CLI's import and the workspace mirror both write files this way): lines
 * are matched with Myers' O(ND) algorithm, then each changed run of lines is narrowed to the characters that
 * differ. Text that did not change is never deleted and re-inserted, so collaborators' cursors and concurrent
 * edits in untouched parts survive. Beyond MAX_EDITS line edits the middle is replaced as one edit (the
 * trace costs O(D²) memory).
 */
export interface TextEdit {
  /** Offset in the old text, in UTF-16 code units (as Y.Text counts). */
  index: number
  remove: number
  insert: string
}

const MAX_EDITS = 2000

interface Hunk {
  aStart: number
  aEnd: number
  bStart: number
  bEnd: number
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** Runs of changed lines between `a` and `b` (Myers), or null past `maxEdits`. */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = MAX_EDITS): Hunk[] | null {
  const n = a.length
  const m = b.length
  const offset = n + m + 1
  const v = new Int32Array(2 * offset + 1)
  const trace: Int32Array[] = []
  for (let d = 0; d <= Math.min(n + m, maxEdits); d++) {
    let done = false
    for (let k = -d; k <= d && !done; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) [x, y] = [x + 1, y + 1]
      v[offset + k] = x
      done = x >= n && y >= m
    }
    trace.push(v.slice(offset - d, offset + d + 1))
    if (done) return backtrack(trace, n, m)
  }
  return null
}

function backtrack(trace: Int32Array[], n: number, m: number): Hunk[] {
  const hunks: Hunk[] = []
  let [x, y] = [n, m]
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1]!
    const at = (k: number) => previous[k + d - 1]!
    const k = x - y
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const prevK = down ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    // One line inserted (down) or deleted, then a run of equal lines up to (x, y).
    const edit = down
      ? { aStart: prevX, aEnd: prevX, bStart: prevY, bEnd: prevY + 1 }
      : { aStart: prevX, aEnd: prevX + 1, bStart: prevY, bEnd: prevY }
    const last = hunks[hunks.length - 1]
    if (last && last.aStart === edit.aEnd && last.bStart === edit.bEnd) {
      ;[last.aStart, last.bStart] = [edit.aStart, edit.bStart]
    } else hunks.push(edit)
    ;[x, y] = [prevX, prevY]
  }
  return hunks.reverse()
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff

/** Narrows one replaced range to the characters that differ. */
function narrow(index: number, removed: string, inserted: string): TextEdit | null {
  let start = 0
  const limit = Math.min(removed.length, inserted.length)
  while (start < limit && removed[start] === inserted[start]) start++
  // Never split a surrogate pair: Yjs encodes a lone surrogate as U+FFFD.
  if (start > 0 && isHighSurrogate(removed.charCodeAt(start - 1))) start--
  let end = 0
  while (end < limit - start && removed.at(-1 - end) === inserted.at(-1 - end)) end++
  if (end > 0 && isLowSurrogate(removed.charCodeAt(removed.length - end))) end--
  const remove = removed.length - start - end
  const insert = inserted.slice(start, inserted.length - end)
  if (remove === 0 && insert === '') return null
  return { index: index + start, remove, insert }
}

/** The edits that turn `before` into `after`, in ascending order of `index` (apply them from the last). */
export function textEdits(before: string, after: string): TextEdit[] {
  if (before === after) return []
  const a = splitLines(before)
  const b = splitLines(after)
  const hunks = diffLines(a, b) ?? [{ aStart: 0, aEnd: a.length, bStart: 0, bEnd: b.length }]
  const offsets = [0]
  for (const line of a) offsets.push(offsets[offsets.length - 1]! + line.length)
  const edits: TextEdit[] = []
  for (const h of hunks) {
    const removed = a.slice(h.aStart, h.aEnd).join('')
    const edit = narrow(offsets[h.aStart]!, removed, b.slice(h.bStart, h.bEnd).join(''))
    if (edit) edits.push(edit)
  }
  return edits
}

/** Applies edits from `textEdits` to a plain string (what a Y.Text does with the same edits). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text
  for (const { index, remove, insert } of [...edits].reverse()) {
    result = result.slice(0, index) + insert + result.slice(index + remove)
  }
  return result
}

/** Applies ops from `transactions` to a plain string, in order. */
export function applyOps(text: string, ops: readonly TextOp[]): string {
  let result = text
  for (const op of ops) {
    result =
      op.kind === 'delete'
        ? result.slice(0, op.index) + result.slice(op.index + op.length)
        : result.slice(0, op.index) + op.text + result.slice(op.index)
  }
  return result
}

/** One primitive change of a Y.Text. */
export type TextOp =
  { kind: 'delete'; index: number; length: number } | { kind: 'insert'; index: number; text: string }

/**
 * Orders edits into transactions whose inserted text stays under `maxChars` each, splitting long insertions
 * (never inside a surrogate pair): each transaction becomes one WebSocket message, and the server closes a
 * connection whose message is larger than COLLAB_MAX_MESSAGE_BYTES. Edits are applied from the last, so each
 * op's index is valid when it runs.
 */
export function transactions(edits: readonly TextEdit[], maxChars: number): TextOp[][] {
  const batches: TextOp[][] = [[]]
  let used = 0
  const push = (op: TextOp, size: number) => {
    if (used + size > maxChars && batches[batches.length - 1]!.length > 0) {
      batches.push([])
      used = 0
    }
    batches[batches.length - 1]!.push(op)
    used += size
  }
  for (const { index, remove, insert } of [...edits].reverse()) {
    if (remove > 0) push({ kind: 'delete', index, length: remove }, 0)
    for (let at = 0; at < insert.length;) {
      let end = Math.min(insert.length, at + maxChars)
      // Keep a surrogate pair together (a one-character budget takes the whole pair).
      if (end < insert.length && isHighSurrogate(insert.charCodeAt(end - 1))) end += end - 1 > at ? -1 : 1
      push({ kind: 'insert', index: index + at, text: insert.slice(at, end) }, end - at)
      at = end
    }
  }
  return batches.filter((b) => b.length > 0)
}

/** What `applyTextOps` needs of a Y.Text (structural, so this package needs no Yjs). */
export interface EditableText {
  insert(index: number, text: string): void
  delete(index: number, length: number): void
}

/** Applies one batch from `transactions` to a Y.Text; call it inside one `doc.transact` per batch. */
export function applyTextOps(text: EditableText, ops: readonly TextOp[]): void {
  for (const op of ops) {
    if (op.kind === 'delete') text.delete(op.index, op.length)
    else text.insert(op.index, op.text)
  }
}
