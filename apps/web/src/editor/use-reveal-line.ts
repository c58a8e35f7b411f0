import { useCallback, useEffect, useState } from 'react'
import type { FileBinding } from './file-binding'
import type { monaco } from './monaco-setup'

export interface RevealTarget {
  docName: string
  /** 1-based line. */
  line: number
}

/**
 * Puts the cursor at the start of a line of a file and scrolls it into the middle of the editor, once that
 * file is bound (opening a file that is not open yet takes a sync first). A request waits for its file; a
 * newer request replaces it.
 */
export function useRevealLine(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  shown: FileBinding | undefined,
): (target: RevealTarget) => void {
  const [pending, setPending] = useState<RevealTarget | null>(null)
  useEffect(() => {
    if (!editor || !pending || shown?.docName !== pending.docName) return
    const model = editor.getModel()
    if (!model || model !== shown.model) return
    const lineNumber = Math.min(Math.max(1, pending.line), model.getLineCount())
    editor.setPosition({ lineNumber, column: 1 })
    editor.revealLineInCenter(lineNumber)
    editor.focus()
    setPending(null)
  }, [editor, shown, pending])
  // A fresh object each time, so revealing the same line again (after scrolling away) works.
  return useCallback((target: RevealTarget) => setPending({ ...target }), [])
}
