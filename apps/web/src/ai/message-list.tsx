import { useEffect, useRef } from 'react'
import type { ChatMessage } from './chat-state'
import { ChatMessageView } from './chat-message'

export interface MessageListProps {
  messages: ChatMessage[]
  onInsert?: (code: string) => void
}

/** The conversation, kept scrolled to the newest text while the reader is at the bottom. */
export function MessageList({ messages, onInsert }: MessageListProps) {
  const ref = useRef<HTMLOListElement>(null)
  // Whether the reader is at the bottom; scrolling up to read stops the follow until they scroll back down.
  const following = useRef(true)
  const last = messages.at(-1)
  useEffect(() => {
    const el = ref.current
    if (el && following.current) el.scrollTop = el.scrollHeight
  }, [last?.content, messages.length])
  const onScroll = () => {
    const el = ref.current
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
  }
  if (messages.length === 0) {
    return (
      <div className="chat-empty muted">
        <p>Ask about the open file or the selected lines.</p>
        <p className="small">
          Mention <code>@file:path</code> to add a file, <code>@codebase</code> to search the project.
        </p>
      </div>
    )
  }
  return (
    <ol className="chat-messages" ref={ref} onScroll={onScroll} aria-label="Conversation" aria-live="polite">
      {messages.map((m) => (
        <ChatMessageView key={m.id} message={m} onInsert={onInsert} />
      ))}
    </ol>
  )
}
