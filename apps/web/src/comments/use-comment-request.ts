import { useCallback, useEffect, useRef, useState } from 'react'
import { docNameOfUri } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'

/** A new comment being written: the file and the selected text offsets, shown under the selection's start. */
export interface CommentRequest {
  docName: string
  from: number
  to: number
  anchor: monaco.IPosition
}

let registrations = 0

/**
 * "Comment" on the editor's selection (the whole line when nothing is selected): offered in the editor's
 * context menu and, through `start`, in the command palette. Reviewers get it too: a comment is not an edit.
 */
export function useCommentRequest(editor: monaco.editor.IStandaloneCodeEditor | null) {
  const [request, setRequest] = useState<CommentRequest | null>(null)
  const editorRef = useRef(editor)
  editorRef.current = editor
  const start = useCallback(() => {
    const e = editorRef.current
    const model = e?.getModel()
    const sel = e?.getSelection()
    const docName = model ? docNameOfUri(model.uri) : null
    if (!e || !model || !sel || !docName) return false
    const whole = sel.isEmpty()
    const startPos = whole ? { lineNumber: sel.startLineNumber, column: 1 } : sel.getStartPosition()
    const endPos = whole
      ? { lineNumber: sel.startLineNumber, column: model.getLineMaxColumn(sel.startLineNumber) }
      : sel.getEndPosition()
    const from = model.getOffsetAt(startPos)
    const to = model.getOffsetAt(endPos)
    if (from >= to) return false
    setRequest({ docName, from, to, anchor: startPos })
    return true
  }, [])
  useEffect(() => {
    if (!editor) return
    const action = editor.addAction({
      id: `mimiverse.comment.${++registrations}`,
      label: 'Comment',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      run: () => void start(),
    })
    return () => action.dispose()
  }, [editor, start])
  return { request, start, close: useCallback(() => setRequest(null), []) }
}
