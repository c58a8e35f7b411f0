import { useEffect, useState } from 'react'
import type { monaco } from './monaco-setup'

/** The caret position of the editor's current model, for the status bar; null when no file is shown. */
export function useCursorPosition(
  editor: monaco.editor.IStandaloneCodeEditor | null,
): { line: number; column: number } | null {
  const [position, setPosition] = useState<{ line: number; column: number } | null>(null)
  useEffect(() => {
    if (!editor) return
    const update = () => {
      const p = editor.getModel() ? editor.getPosition() : null
      setPosition(p ? { line: p.lineNumber, column: p.column } : null)
    }
    const subs = [editor.onDidChangeCursorPosition(update), editor.onDidChangeModel(update)]
    return () => subs.forEach((s) => s.dispose())
  }, [editor])
  return position
}
