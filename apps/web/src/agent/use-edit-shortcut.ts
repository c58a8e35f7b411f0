import { useEffect, useRef } from 'react'
import { docNameOfUri } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import { rangeFromSelection } from './edit-request'
import type { PromptRequest } from './inline-prompt'

/** The prompt request for the editor's selection, or null when no file of ours is shown. */
export function promptRequestFor(editor: monaco.editor.IStandaloneCodeEditor): PromptRequest | null {
  const model = editor.getModel()
  const sel = editor.getSelection()
  const docName = model ? docNameOfUri(model.uri) : null
  if (!model || !sel || !docName) return null
  return { docName, range: rangeFromSelection(sel), anchor: sel.getStartPosition() }
}

/**
 * Ctrl/Cmd+K in the editor opens the inline edit prompt for the selection. Listened to in the capture phase,
 * before Monaco: Monaco uses Ctrl+K as the first key of chords (Ctrl+K Ctrl+C comments a line), which this
 * gives up while the agent can edit; the same commands stay reachable through F1.
 */
export function useEditShortcut(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  enabled: boolean,
  open: (request: PromptRequest) => void,
): void {
  const openRef = useRef(open)
  openRef.current = open
  useEffect(() => {
    if (!editor || !enabled) return
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'k') return
      if (!editor.hasTextFocus()) return
      const request = promptRequestFor(editor)
      if (!request) return
      e.preventDefault()
      e.stopPropagation()
      openRef.current(request)
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [editor, enabled])
}
