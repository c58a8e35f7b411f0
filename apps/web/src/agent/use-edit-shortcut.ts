import { docNameOfUri } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import { useGlobalShortcut } from '../ui/use-global-shortcut'
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
 * Ctrl/Cmd+K in the editor opens the inline edit prompt for the selection. It is taken before Monaco, which uses
 * Ctrl+K as the first key of chords (Ctrl+K Ctrl+C comments a line): those give way while the agent can edit,
 * and the same commands stay reachable through F1. Outside the editor the key is left alone.
 */
export function useEditShortcut(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  enabled: boolean,
  open: (request: PromptRequest) => void,
): void {
  useGlobalShortcut(
    { key: 'k', shift: false },
    () => {
      const request = editor?.hasTextFocus() ? promptRequestFor(editor) : null
      if (!request) return false
      open(request)
    },
    editor !== null && enabled,
  )
}
