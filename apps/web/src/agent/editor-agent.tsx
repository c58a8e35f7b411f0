import { useCallback, useState } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import type { FileBinding } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import { useAgent } from './agent-context'
import { rangeLabel, type AgentEditInput } from './edit-request'
import { InlinePrompt, type PromptRequest } from './inline-prompt'
import { RunBadges } from './run-badges'
import { useEditShortcut } from './use-edit-shortcut'
import { useFixAction } from './use-fix-action'

/**
 * The agent inside the editor: the run badges over the shown file, and for people who may edit the
 * Ctrl/Cmd+K prompt and the "Fix with Mimi" quick fix. Rendered over the editor while a file is bound.
 */
export function EditorAgent(props: { editor: monaco.editor.IStandaloneCodeEditor; binding: FileBinding }) {
  const { editor, binding } = props
  const { canEdit, edit, setNotice } = useAgent()
  const [prompt, setPrompt] = useState<PromptRequest | null>(null)
  useEditShortcut(editor, canEdit, setPrompt)
  const startFix = useCallback(
    (input: AgentEditInput) => {
      const where = input.range ? ` on ${rangeLabel(input.range)}` : ''
      edit(input).then(
        () => setNotice(`${AGENT_NAME} is fixing the problem${where}; see Agent runs.`),
        (e: unknown) => setNotice(e instanceof Error ? e.message : String(e)),
      )
    },
    [edit, setNotice],
  )
  useFixAction(canEdit, startFix)
  // A prompt belongs to the file it was opened on: switching tabs drops it.
  const shown = canEdit && prompt?.docName === binding.docName ? prompt : null
  return (
    <>
      <RunBadges editor={editor} binding={binding} />
      {shown && (
        <InlinePrompt
          key={`${shown.anchor.lineNumber}:${shown.anchor.column}`}
          editor={editor}
          request={shown}
          onClose={() => setPrompt(null)}
        />
      )}
    </>
  )
}
