import { useEffect, useRef } from 'react'
import type { CollabConnection } from '../../collab/connection'
import { monaco } from '../../editor/monaco-setup'
import { InlineSource, type OpenDoc } from './inline-source'

/**
 * Registers AI inline completions for the workspace's editor while `enabled` (never for reviewers: their
 * editor is read-only and the server refuses them anyway), and feeds it the user's keystrokes and edits.
 */
export function useInlineCompletions(opts: {
  editor: monaco.editor.IStandaloneCodeEditor | null
  connection: CollabConnection | null
  open: OpenDoc[]
  enabled: boolean
}): void {
  const { editor, connection, enabled } = opts
  const open = useRef(opts.open)
  useEffect(() => {
    open.current = opts.open
  }, [opts.open])

  useEffect(() => {
    if (!editor || !connection || !enabled) return
    const source = new InlineSource(editor, connection, () => open.current)
    const { KeyCode } = monaco
    const subs = [
      monaco.languages.registerInlineCompletionsProvider('*', source),
      editor.onKeyDown((e) => {
        const model = editor.getModel()
        if (!model) return
        // Shortcuts (Ctrl/Cmd/Alt+key) are not typing; of them only cut edits, as a deletion.
        if (e.ctrlKey || e.metaKey || e.altKey) {
          if (e.keyCode === KeyCode.KeyX) source.edits.keystroke(model, true)
          return
        }
        const deletion = e.keyCode === KeyCode.Backspace || e.keyCode === KeyCode.Delete
        if (deletion || e.browserEvent.key.length === 1 || e.keyCode === KeyCode.Enter)
          source.edits.keystroke(model, deletion)
      }),
      editor.onDidChangeModelContent((e) => {
        const model = editor.getModel()
        const path = model?.uri.path.split('/').slice(3).join('/')
        if (model && path) source.edits.record(model, path, e)
      }),
    ]
    return () => {
      subs.forEach((s) => s.dispose())
      source.dispose()
    }
  }, [editor, connection, enabled])
}
