import { useEffect, useRef, useState } from 'react'
import type { CollabConnection } from '../../collab/connection'
import { docNameOfUri, pathOfUri } from '../../editor/model-uri'
import { monaco } from '../../editor/monaco-setup'
import { aiApi } from '../ai-client'
import { CompletionGate, type GateStatus } from './completion-gate'
import { InlineSource, type OpenDoc } from './inline-source'

/**
 * Registers AI inline completions for the workspace's editor while `enabled` (never for reviewers: their
 * editor is read-only and the server refuses them anyway), and feeds it the user's keystrokes and edits.
 * Returns whether the completion model is there (for the status bar); null while disabled.
 */
export function useInlineCompletions(opts: {
  editor: monaco.editor.IStandaloneCodeEditor | null
  connection: CollabConnection | null
  open: OpenDoc[]
  enabled: boolean
}): GateStatus | null {
  const { editor, connection, enabled } = opts
  const { gate, status } = useCompletionGate(enabled)
  const open = useRef(opts.open)
  useEffect(() => {
    open.current = opts.open
  }, [opts.open])

  useEffect(() => {
    if (!editor || !connection || !gate) return
    const source = new InlineSource(editor, connection, () => open.current, gate)
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
        const path = model && docNameOfUri(model.uri) ? pathOfUri(model.uri) : null
        if (model && path) source.edits.record(model, path, e)
      }),
    ]
    return () => {
      subs.forEach((s) => s.dispose())
      source.dispose()
    }
  }, [editor, connection, gate])
  return status
}

/** One gate per workspace while completions are enabled: asks `ai.models` about the completion model. */
function useCompletionGate(enabled: boolean): { gate: CompletionGate | null; status: GateStatus | null } {
  const [gate, setGate] = useState<CompletionGate | null>(null)
  const [status, setStatus] = useState<GateStatus | null>(null)
  useEffect(() => {
    if (!enabled) return
    const g = new CompletionGate({
      check: async () => {
        const task = (await aiApi.ai.models.query()).tasks.find((t) => t.task === 'complete')
        return { ready: task?.status === 'ready', ...(task?.hint ? { hint: task.hint } : {}) }
      },
    })
    const off = g.subscribe(() => setStatus(g.current))
    setGate(g)
    setStatus(g.current)
    g.start()
    return () => {
      off()
      g.dispose()
      setGate(null)
      setStatus(null)
    }
  }, [enabled])
  return { gate, status }
}
