import * as Y from 'yjs'

/**
 * A plain `<textarea>` bound to a shared Y.Text (the project's commit message): the textarea's new value becomes
 * the smallest edit (common prefix and suffix kept), so what others type elsewhere in the text is never
 * overwritten; a remote change moves the caret as the text before it moved.
 */

/** Writes a textarea's new value into `text` as one edit of the part that differs from the text now. */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString()
  if (current === next) return
  let start = 0
  const max = Math.min(current.length, next.length)
  while (start < max && current[start] === next[start]) start++
  let end = 0
  while (end < max - start && current[current.length - 1 - end] === next[next.length - 1 - end]) end++
  text.doc!.transact(() => {
    const removed = current.length - start - end
    if (removed > 0) text.delete(start, removed)
    const inserted = next.slice(start, next.length - end)
    if (inserted) text.insert(start, inserted)
  })
}

/** Where a caret at `index` is after a change (a Y.Text event's delta); text inserted at the caret goes before it. */
export function mapIndex(index: number, delta: Y.YTextEvent['delta']): number {
  let old = 0 // position in the text before the change
  let now = 0 // the same position after it
  for (const op of delta) {
    if (op.retain !== undefined) {
      if (index < old + op.retain) return now + (index - old)
      old += op.retain
      now += op.retain
    } else if (typeof op.insert === 'string') {
      now += op.insert.length
    } else if (op.delete !== undefined) {
      if (index < old + op.delete) return now
      old += op.delete
    }
  }
  return now + (index - old)
}

/**
 * The message as it is when a commit starts, and how to clear it once the commit succeeded: only what was there
 * then is deleted; text someone typed after its end while the commit ran stays for the next commit.
 */
export function beginCommit(text: Y.Text): { message: string; clear: () => void } {
  const message = text.toString()
  const end = Y.createRelativePositionFromTypeIndex(text, text.length, -1)
  return {
    message,
    clear: () => {
      const doc = text.doc
      const at = doc && Y.createAbsolutePositionFromRelativePosition(end, doc)
      if (doc && at && at.index > 0) doc.transact(() => text.delete(0, at.index))
    },
  }
}
