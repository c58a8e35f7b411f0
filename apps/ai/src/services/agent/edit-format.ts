/**
 * The edit format the chat model answers in: one or more old-text/new-text blocks (the format Zed's agent and
 * aider use, because models reproduce a few lines of existing code far more reliably than line numbers):
 *
 *     <<<<<<< OLD
 *     exact lines to replace
 *     =======
 *     the lines that replace them
 *     >>>>>>> NEW
 *
 * The parser reads the answer as it streams: it reports each block's old text once its `=======` line has
 * arrived (so the agent can locate it before the new text starts), then the new text in pieces as soon as they
 * cannot be the start of the closing marker, then the end of the block. Text outside blocks (explanations,
 * code fences) is ignored. The newline before a marker line belongs to the marker, not to the text.
 */
export type EditEvent = { type: 'old'; text: string } | { type: 'new'; text: string } | { type: 'end' }

export const OLD_MARKER = '<<<<<<< OLD'
export const SEPARATOR = '======='
export const NEW_MARKER = '>>>>>>> NEW'

const isLine = (line: string, marker: string) => line.trimEnd() === marker

export class EditStreamParser {
  private mode: 'outside' | 'old' | 'new' = 'outside'
  /** The current, not yet complete line (outside and old) or the held-back start of a line (new). */
  private line = ''
  private oldLines: string[] = []
  /** In new text: a newline was read but not yet reported (it may precede the closing marker). */
  private heldNewline = false
  private atLineStart = true

  push(chunk: string): EditEvent[] {
    const out: EditEvent[] = []
    for (const ch of chunk) {
      if (this.mode === 'new') this.newChar(ch, out)
      else this.lineChar(ch, out)
    }
    return out
  }

  /** The end of the answer: a block left open ends there (models sometimes omit the last marker). */
  end(): EditEvent[] {
    const out: EditEvent[] = []
    if (this.mode === 'new') {
      // A trailing newline is taken as the one before a missing marker.
      if (this.line && !isLine(this.line, NEW_MARKER))
        out.push({ type: 'new', text: this.held() + this.line })
      out.push({ type: 'end' })
    }
    this.mode = 'outside'
    this.line = ''
    return out
  }

  /** Outside blocks and in old text: whole lines decide. */
  private lineChar(ch: string, out: EditEvent[]): void {
    if (ch !== '\n') {
      this.line += ch
      return
    }
    const line = this.line
    this.line = ''
    if (this.mode === 'outside') {
      if (isLine(line, OLD_MARKER)) {
        this.mode = 'old'
        this.oldLines = []
      }
    } else if (isLine(line, SEPARATOR)) {
      out.push({ type: 'old', text: this.oldLines.join('\n') })
      this.mode = 'new'
      this.atLineStart = true
      this.heldNewline = false
    } else {
      this.oldLines.push(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
  }

  /** In new text: characters go out at once, except a line start that may still become the closing marker. */
  private newChar(ch: string, out: EditEvent[]): void {
    if (!this.atLineStart) {
      if (ch === '\n') {
        this.heldNewline = true
        this.atLineStart = true
      } else {
        out.push({ type: 'new', text: ch })
      }
      return
    }
    if (ch === '\n') {
      if (isLine(this.line, NEW_MARKER)) {
        this.line = ''
        this.heldNewline = false
        this.mode = 'outside'
        out.push({ type: 'end' })
        return
      }
      const text = this.held() + this.line
      if (text) out.push({ type: 'new', text })
      this.line = ''
      this.heldNewline = true
      return
    }
    this.line += ch
    const maybeMarker = NEW_MARKER.startsWith(this.line) || isLine(this.line, NEW_MARKER)
    if (!maybeMarker) {
      out.push({ type: 'new', text: this.held() + this.line })
      this.line = ''
      this.atLineStart = false
    }
  }

  private held(): string {
    const h = this.heldNewline ? '\n' : ''
    this.heldNewline = false
    return h
  }
}

/** Merges adjacent `new` pieces (the parser reports characters one by one). */
export function coalesce(events: EditEvent[]): EditEvent[] {
  const out: EditEvent[] = []
  for (const e of events) {
    const last = out.at(-1)
    if (e.type === 'new' && last?.type === 'new') last.text += e.text
    else out.push(e.type === 'new' ? { ...e } : e)
  }
  return out
}
