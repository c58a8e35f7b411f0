import * as Y from 'yjs'
import { AppError, CONTENT_FIELD, ErrorCode, MAX_COMMENT_QUOTE_CHARS } from '@mimiverse/shared'

/**
 * Anchors of review comments: two Yjs relative positions in a file's `Y.Text`. The start sticks to the first
 * commented character and the end to the last one (association -1), so text typed just before or just after
 * the range stays outside it, and edits elsewhere move it. When every commented character is deleted both ends
 * resolve to the same index: the thread is outdated, and its stored quote is what it was about.
 */
export interface Anchor {
  from: Uint8Array
  to: Uint8Array
  /** The commented text when the thread was started, cut at MAX_COMMENT_QUOTE_CHARS. */
  quote: string
}

/** Where an anchor is in the live text now; lines are 1-based. */
export interface AnchorRange {
  from: number
  to: number
  startLine: number
  endLine: number
}

/** A text index, or an encoded relative position as base64 (what a client holding the document sends). */
export type PositionInput = number | string

/** The anchor of `[from, to)` in the document's text; refuses an empty or out-of-range selection. */
export function anchorOf(doc: Y.Doc, from: PositionInput, to: PositionInput): Anchor {
  const text = doc.getText(CONTENT_FIELD)
  const start = indexOf(doc, from)
  const end = indexOf(doc, to)
  if (start >= end) throw new AppError(ErrorCode.BadRequest, 'select some code to comment on (from < to)')
  return {
    from: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, start, 0)),
    to: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, end, -1)),
    quote: text.toString().slice(start, Math.min(end, start + MAX_COMMENT_QUOTE_CHARS)),
  }
}

/** Where the anchor is in the live text, or null when its code was deleted (or it no longer resolves). */
export function resolveAnchor(doc: Y.Doc, from: Uint8Array, to: Uint8Array): AnchorRange | null {
  const text = doc.getText(CONTENT_FIELD)
  const start = absolute(doc, text, from)
  const end = absolute(doc, text, to)
  if (start === null || end === null || start >= end) return null
  const before = text.toString().slice(0, end)
  return { from: start, to: end, startLine: linesIn(before.slice(0, start)), endLine: linesIn(before) }
}

function indexOf(doc: Y.Doc, position: PositionInput): number {
  const text = doc.getText(CONTENT_FIELD)
  if (typeof position === 'number') {
    if (position > text.length) {
      throw new AppError(
        ErrorCode.BadRequest,
        `position ${position} is past the end of the file (${text.length})`,
      )
    }
    return position
  }
  let bytes: Uint8Array
  try {
    bytes = Y.encodeRelativePosition(Y.decodeRelativePosition(Buffer.from(position, 'base64')))
  } catch {
    throw new AppError(ErrorCode.BadRequest, 'not an encoded relative position')
  }
  const index = absolute(doc, text, bytes)
  if (index === null) throw new AppError(ErrorCode.BadRequest, 'the position is not in this file')
  return index
}

function absolute(doc: Y.Doc, text: Y.Text, encoded: Uint8Array): number | null {
  try {
    const position = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(encoded), doc)
    return position && position.type === text ? position.index : null
  } catch {
    return null
  }
}

function linesIn(s: string): number {
  let n = 1
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++
  return n
}
