import { memo, useCallback } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import { RunCard } from '../agent/run-card'
import type { ChatMessage } from './chat-state'
import { CodeBlock } from './code-block'
import { renderMarkdown, type RenderCode } from './markdown'

export interface ChatMessageViewProps {
  message: ChatMessage
  onInsert?: (code: string) => void
}

/** One message: the user's text as typed, or the model's answer as Markdown with its context and status. */
export const ChatMessageView = memo(function ChatMessageView({ message, onInsert }: ChatMessageViewProps) {
  const renderCode = useCallback<RenderCode>(
    ({ code, lang, key }) => <CodeBlock key={key} code={code} lang={lang} onInsert={onInsert} />,
    [onInsert],
  )
  if (message.role === 'user') {
    return (
      <li className="chat-message user">
        {message.attached && (
          <span className="chat-chip small">
            {message.kind === 'edit' ? `Edit · ${message.attached}` : message.attached}
          </span>
        )}
        <p className="chat-user-text">{message.content}</p>
      </li>
    )
  }
  const { context, status } = message
  if (message.kind === 'edit') return <EditAnswer message={message} />
  return (
    <li className="chat-message assistant" data-status={status}>
      {context && context.files.length + context.missing.length > 0 && (
        <p className="chat-context muted small">
          Read: {context.files.join(', ') || 'no file'}
          {context.missing.length > 0 && ` · not found: ${context.missing.join(', ')}`}
        </p>
      )}
      <div className="chat-markdown">{renderMarkdown(message.content, renderCode)}</div>
      {status === 'streaming' && !message.content && <p className="muted small">Thinking…</p>}
      {status === 'stopped' && <p className="muted small">Stopped.</p>}
      {status === 'error' && (
        <p className="form-error small" role="alert">
          {message.error}
        </p>
      )}
    </li>
  )
})

/** The answer to an edit request: the agent run it started, or why it could not start. */
function EditAnswer({ message }: { message: ChatMessage }) {
  return (
    <li className="chat-message assistant" data-status={message.status} data-kind="edit">
      {message.runId && <RunCard runId={message.runId} />}
      {message.status === 'streaming' && <p className="muted small">Asking {AGENT_NAME} to edit…</p>}
      {message.status === 'stopped' && <p className="muted small">Stopped.</p>}
      {message.status === 'error' && (
        <p className="form-error small" role="alert">
          {message.error}
        </p>
      )}
    </li>
  )
}
