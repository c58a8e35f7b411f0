import { useState, type KeyboardEvent } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import type { monaco } from '../editor/monaco-setup'
import { useAnchoredPosition } from '../editor/use-anchored-position'
import { useAgent } from './agent-context'
import { clipInstruction, MAX_INSTRUCTION_CHARS, rangeLabel, type AgentEditRange } from './edit-request'

/** What Ctrl/Cmd+K asks about: the shown file and the selection (or the caret's line). */
export interface PromptRequest {
  docName: string
  range: AgentEditRange
  /** Where the box sits: under the selection's first line. */
  anchor: monaco.IPosition
}

/**
 * The inline prompt of Ctrl/Cmd+K: the user types what to change, Enter sends it as `agent.edit` with the
 * selection as `range`, Esc closes. A refusal (no model, not available, no access) stays in the box.
 */
export function InlinePrompt(props: {
  editor: monaco.editor.IStandaloneCodeEditor
  request: PromptRequest
  onClose: () => void
}) {
  const { editor, request, onClose } = props
  const agent = useAgent()
  const point = useAnchoredPosition(editor, request.anchor)
  const [draft, setDraft] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const close = () => {
    onClose()
    editor.focus()
  }
  const send = () => {
    const instruction = clipInstruction(draft)
    if (!instruction || sending) return
    setSending(true)
    setError(null)
    agent.edit({ docName: request.docName, instruction, range: request.range }).then(close, (e: unknown) => {
      setSending(false)
      setError(e instanceof Error ? e.message : String(e))
    })
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      close()
    } else if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }
  // Under the anchor line; at the top of the editor while that line is scrolled away.
  const style = point
    ? { top: point.top + point.height + 2, left: Math.max(point.left - 8, 8) }
    : { top: 8, left: 56 }
  return (
    <div className="agent-prompt" role="dialog" aria-label={`Edit with ${AGENT_NAME}`} style={style}>
      <span className="agent-prompt-label small">
        ✦ {AGENT_NAME} · {rangeLabel(request.range)}
      </span>
      <input
        aria-label={`Tell ${AGENT_NAME} what to change`}
        placeholder="What should change? (Enter to send, Esc to close)"
        autoFocus
        value={draft}
        disabled={sending}
        maxLength={MAX_INSTRUCTION_CHARS}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {sending && <span className="muted small">Starting…</span>}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
