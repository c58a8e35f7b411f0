import { useEffect, useState } from 'react'
import type { monaco } from '../editor/monaco-setup'
import type { ChatSelection } from './ai-client'
import { MAX_MESSAGE_CHARS } from './chat-state'

/** What a question carries about the editor: the active file and the selected lines, if any. */
export interface EditorContext {
  docName: string
  path: string
  selection?: ChatSelection
}

/** The chip text: "main.ts · lines 3–9", "main.ts · line 4", or just the file name. */
export function contextLabel(ctx: EditorContext): string {
  const name = ctx.path.split('/').pop() ?? ctx.path
  const s = ctx.selection
  if (!s?.startLine || !s.endLine) return name
  return s.startLine === s.endLine
    ? `${name} · line ${s.startLine}`
    : `${name} · lines ${s.startLine}–${s.endLine}`
}

/**
 * The selected text and its line range. A selection ending at column 1 of a line (a whole-line selection made
 * with Shift+Down) does not include that line.
 */
export function selectionOf(
  model: monaco.editor.ITextModel,
  sel: monaco.Selection | null,
): ChatSelection | undefined {
  if (!sel || sel.isEmpty()) return undefined
  const endLine =
    sel.endColumn === 1 && sel.endLineNumber > sel.startLineNumber ? sel.endLineNumber - 1 : sel.endLineNumber
  const text = model.getValueInRange(sel).slice(0, MAX_MESSAGE_CHARS)
  return { text, startLine: sel.startLineNumber, endLine }
}

/** Follows the editor's model and selection; null when no file is shown. */
export function useEditorContext(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  file: { docName: string; path: string } | null,
): EditorContext | null {
  const [selection, setSelection] = useState<ChatSelection | undefined>(undefined)
  const [hasModel, setHasModel] = useState(false)
  useEffect(() => {
    if (!editor) return
    const update = () => {
      const model = editor.getModel()
      setHasModel(model !== null)
      setSelection(model ? selectionOf(model, editor.getSelection()) : undefined)
    }
    update()
    const subs = [editor.onDidChangeCursorSelection(update), editor.onDidChangeModel(update)]
    return () => subs.forEach((s) => s.dispose())
  }, [editor])
  if (!file || !hasModel) return null
  return { docName: file.docName, path: file.path, selection }
}
