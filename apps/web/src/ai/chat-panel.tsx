import { useCallback, useState, type KeyboardEvent } from 'react'
import { monaco } from '../editor/monaco-setup'
import { MessageList } from './message-list'
import { useChat } from './use-chat'
import { contextLabel, useEditorContext } from './use-editor-context'
import { useModels } from './use-models'

export interface ChatPanelProps {
  /** Closed, the panel is hidden but keeps its conversation (and any answer still streaming). */
  open: boolean
  projectId: string
  editor: monaco.editor.IStandaloneCodeEditor | null
  /** The active file, sent as context with each question. */
  file: { docName: string; path: string } | null
  /** Whether code may be inserted into the editor (false for reviewers: their editor is read-only). */
  canInsert: boolean
  onClose: () => void
}

/** The AI chat, docked right: a banner when no model answers, the conversation, the context chip, the input. */
export function ChatPanel({ open, projectId, editor, file, canInsert, onClose }: ChatPanelProps) {
  const models = useModels(open)
  const chat = useChat(projectId, models.refresh)
  const context = useEditorContext(editor, file)
  const insert = useCallback(
    (code: string) => {
      if (editor) insertAtCursor(editor, code)
    },
    [editor],
  )
  return (
    <aside className="chat-panel" aria-label="AI chat" hidden={!open}>
      <header className="chat-header">
        <h3 className="sidebar-heading">AI chat</h3>
        <span className="sidebar-actions">
          <button className="ghost small" onClick={chat.clear} disabled={chat.streaming}>
            Clear
          </button>
          <button className="ghost icon" aria-label="Close chat" title="Close (Ctrl+L)" onClick={onClose}>
            ×
          </button>
        </span>
      </header>
      {models.problem && (
        <div className="chat-banner" role="alert" data-testid="chat-banner">
          {models.problem}
        </div>
      )}
      <MessageList messages={chat.messages} onInsert={canInsert && context ? insert : undefined} />
      <ChatInput
        streaming={chat.streaming}
        attached={context ? contextLabel(context) : null}
        onSend={(q) => chat.send(q, context)}
        onStop={chat.stop}
      />
    </aside>
  )
}

function ChatInput(props: {
  streaming: boolean
  attached: string | null
  onSend: (question: string) => void
  onStop: () => void
}) {
  const [draft, setDraft] = useState('')
  const send = () => {
    const q = draft.trim()
    if (!q || props.streaming) return
    props.onSend(q)
    setDraft('')
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }
  return (
    <div className="chat-input">
      {props.attached && (
        <span className="chat-chip small" data-testid="chat-context" title="Sent with your question">
          {props.attached}
        </span>
      )}
      <textarea
        aria-label="Ask the AI"
        placeholder="Ask about this code… (Enter to send, Shift+Enter for a new line)"
        value={draft}
        rows={3}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="chat-input-actions">
        {props.streaming ? (
          <button className="danger small" onClick={props.onStop}>
            Stop
          </button>
        ) : (
          <button className="primary small" onClick={send} disabled={!draft.trim()}>
            Send
          </button>
        )}
      </div>
    </div>
  )
}

/**
 * Replaces the selection (or inserts at the caret) through the editor's edit API, so y-monaco sees a model
 * change and turns it into a CRDT edit like typing; the local Y.UndoManager can undo it.
 */
function insertAtCursor(editor: monaco.editor.IStandaloneCodeEditor, code: string): void {
  const selection = editor.getSelection()
  if (!selection || !editor.getModel() || editor.getOption(monaco.editor.EditorOption.readOnly)) return
  editor.pushUndoStop()
  editor.executeEdits('ai-chat', [{ range: selection, text: code, forceMoveMarkers: true }])
  editor.pushUndoStop()
  editor.focus()
}
