import type * as Y from 'yjs'
import { DeletionAuthors, type Collaborators } from './deletion-authors'
import { deletedOf, idAt, idsOf, sliceRuns, type IdRun, type Region } from './item-ids'
import { locate, type Span } from './locate'

/**
 * Locating a model's quoted old text in the version of the document the model was shown. A model answers about
 * the text in its prompt, seconds before its quote arrives; meanwhile people type, even inside the lines it
 * quotes, and lines come and go above them. So the version is kept from the moment the prompt is built (its text
 * and, for every character, the Yjs id it had), the quote is located in that text, and the span found is carried
 * onto the live document through those ids: whatever was typed since, inside the span or anywhere else, only
 * moves it, and stays (the edit deletes only characters of the quote; see anchored-edit.ts).
 *
 * Only when a quoted character has since been deleted is the quote gone: the edit stops there, with a reason
 * naming the lines (as numbered in the version the model saw) and who deleted them (deletion-authors.ts).
 * Every tool that applies a model's old→new edit to a live document locates through this module.
 *
 * Memory: one id run per stretch of characters typed in one go, as the document itself holds one item each.
 */
export type Located =
  /** Every quoted character is still there: edit `region` (ids) whose text in the version was `old`. */
  | { found: 'live'; region: Region; old: string }
  /** The quote was in the version but part of it has been deleted since; `reason` says where and by whom. */
  | { found: 'gone'; reason: string }
  /** The quote is not in the version the model saw. */
  | { found: 'absent' }

export class DocumentVersion {
  private constructor(
    /** The text as the model was shown it. */
    readonly text: string,
    private readonly ids: IdRun[],
    private readonly live: Y.Text,
    private readonly authors: DeletionAuthors,
  ) {}

  /**
   * The version of `text` now; watches deletions from now on (call `close` when done). `self` names the local
   * changes (the agent's own) in reasons.
   */
  static capture(text: Y.Text, who: Collaborators, self: string): DocumentVersion {
    const now = text.toString()
    const ids = idsOf(text, { start: 0, end: now.length })
    return new DocumentVersion(now, ids, text, new DeletionAuthors(text, who, self))
  }

  /** Locates `quote` in this version, only inside `within` (offsets in this version) when given. */
  locate(quote: string, within?: Span): Located {
    const span = locate(this.text, quote, within)
    if (!span) return { found: 'absent' }
    const runs = sliceRuns(this.ids, span)
    const gone = deletedOf(this.live, runs)
    if (gone.length > 0) return { found: 'gone', reason: this.goneReason(span, gone) }
    const region = { runs, length: span.end - span.start, after: idAt(this.ids, span.end) }
    return { found: 'live', region, old: this.text.slice(span.start, span.end) }
  }

  /** Stops watching deletions. */
  close(): void {
    this.authors.close()
  }

  private goneReason(span: Span, gone: IdRun[]): string {
    const last = gone.at(-1)!
    const first = lineOf(this.text, span.start + gone[0]!.at)
    const end = lineOf(this.text, span.start + last.at + last.len - 1)
    const lines = first.number === end.number ? `line ${first.number}` : `lines ${first.number}-${end.number}`
    const by = this.authors.of(gone).join(' and ')
    return `the text it quoted at ${lines} ("${first.text}") was deleted by ${by} while the model was answering`
  }
}

/** Longest part of a line quoted in a reason. */
const QUOTE_CHARS = 80

/** The 1-based number of the line holding `offset` (a newline belongs to the line it ends), and its text. */
function lineOf(text: string, offset: number): { number: number; text: string } {
  let number = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) number++
  const start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1
  const stop = text.indexOf('\n', start)
  const line = text.slice(start, stop < 0 ? text.length : stop).trimEnd()
  return { number, text: line.length > QUOTE_CHARS ? `${line.slice(0, QUOTE_CHARS)}…` : line }
}
