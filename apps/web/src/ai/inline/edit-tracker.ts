import type { monaco } from '../../editor/monaco-setup'

/**
 * Watches the user's keystrokes and the edits of the shown file: typing speed (for the debounce), whether the
 * last keystroke only deleted text (no completion request then), and where code was edited recently
 * (repository context for the prompt: a few lines around each of the last edits, newest first, one per place).
 * Keystrokes come from the editor's key events, not from content changes, which remote peers cause too.
 */
export interface RecentEdit {
  path: string
  text: string
}

const MAX_PLACES = 8
const LINES_AROUND = 3
const MAX_EDIT_CHARS = 1000

interface Place {
  model: monaco.editor.ITextModel
  path: string
  line: number
}

export class EditTracker {
  private readonly deletionOnly = new WeakMap<monaco.editor.ITextModel, boolean>()
  private places: Place[] = []

  constructor(private readonly onKeystroke: (now: number) => void) {}

  /** A key the user pressed in `model`; `deletion` for Backspace, Delete and cut. */
  keystroke(model: monaco.editor.ITextModel, deletion: boolean): void {
    this.deletionOnly.set(model, deletion)
    this.onKeystroke(performance.now())
  }

  /** An edit of the shown model (anyone's). */
  record(model: monaco.editor.ITextModel, path: string, e: monaco.editor.IModelContentChangedEvent): void {
    if (e.isFlush) return
    const line = e.changes[0]?.range.startLineNumber ?? 1
    const near = (p: Place) => p.model === model && Math.abs(p.line - line) <= LINES_AROUND
    this.places = [{ model, path, line }, ...this.places.filter((p) => !near(p))].slice(0, MAX_PLACES)
  }

  /**
   * Whether the user's last keystroke in `model` typed text. False after a deletion, and before any keystroke:
   * text put in by other means (a remote peer, "Insert at cursor", undo) does not ask the model.
   */
  typed(model: monaco.editor.ITextModel): boolean {
    return this.deletionOnly.get(model) === false
  }

  /** Snippets around recent edits in other places than `exclude` (the cursor's own neighbourhood). */
  recentEdits(exclude: { model: monaco.editor.ITextModel; line: number }): RecentEdit[] {
    const out: RecentEdit[] = []
    for (const p of this.places) {
      if (p.model.isDisposed()) continue
      if (p.model === exclude.model && Math.abs(p.line - exclude.line) <= 2 * LINES_AROUND) continue
      const from = Math.max(1, p.line - LINES_AROUND)
      const to = Math.min(p.model.getLineCount(), p.line + LINES_AROUND)
      const text = p.model
        .getValueInRange({ startLineNumber: from, startColumn: 1, endLineNumber: to + 1, endColumn: 1 })
        .slice(0, MAX_EDIT_CHARS)
      if (text.trim()) out.push({ path: p.path, text })
    }
    return out
  }
}
