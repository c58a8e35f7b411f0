import { useMemo, useState } from 'react'
import {
  ALL_COMMENTS,
  filterThreads,
  threadAuthors,
  type CommentFilter,
  type Mention,
  type Thread,
} from './comments-model'
import { ThreadView } from './thread-view'
import type { Comments } from './use-comments'

export interface CommentsPanelProps {
  open: boolean
  userId: string
  comments: Comments
  /** Shows a thread's file at its line. */
  onOpen: (thread: Thread) => void
  /** Shows the thread a mention is in. */
  onOpenMention: (mention: Mention) => void
}

/** The Comments view of the sidebar: the user's mentions (inbox), then the project's threads, filtered. */
export function CommentsPanel({ open, userId, comments, onOpen, onOpenMention }: CommentsPanelProps) {
  const [filter, setFilter] = useState<CommentFilter>(ALL_COMMENTS)
  const threads = comments.threads
  const shown = useMemo(() => (threads ? filterThreads(threads, filter) : null), [threads, filter])
  const paths = useMemo(() => [...new Set((threads ?? []).map((t) => t.path))].sort(), [threads])
  const authors = useMemo(() => threadAuthors(threads ?? []), [threads])
  const unread = comments.inbox.filter((m) => m.readAt === null)
  return (
    <section className="comments-panel" aria-label="Comments" hidden={!open}>
      {unread.length > 0 && (
        <div className="comment-inbox" aria-label="Mentions">
          <h3 className="sidebar-heading">Mentions ({unread.length})</h3>
          {unread.map((m) => (
            <button
              key={m.id}
              className="comment-mention"
              onClick={() => {
                onOpenMention(m)
                void comments.markRead([m.id])
              }}
            >
              <strong>{m.author.name}</strong> <span className="muted">on {m.path}</span>
              <span className="comment-body small">{m.body}</span>
            </button>
          ))}
        </div>
      )}
      <div className="comment-filters">
        <select
          aria-label="Status"
          value={filter.status ?? ''}
          onChange={(e) =>
            setFilter({ ...filter, status: (e.target.value || null) as CommentFilter['status'] })
          }
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="">All</option>
        </select>
        <select
          aria-label="File"
          value={filter.path ?? ''}
          onChange={(e) => setFilter({ ...filter, path: e.target.value || null })}
        >
          <option value="">All files</option>
          {paths.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select
          aria-label="Author"
          value={filter.author ?? ''}
          onChange={(e) => setFilter({ ...filter, author: e.target.value || null })}
        >
          <option value="">Anyone</option>
          {authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      {comments.error && (
        <p className="form-error small" role="alert">
          {comments.error}
        </p>
      )}
      {shown === null && !comments.error && <p className="muted small">Loading comments…</p>}
      {shown?.length === 0 && (
        <p className="muted small">
          No comments here. Select code and choose Comment (right-click or the palette).
        </p>
      )}
      {shown?.map((t) => (
        <ThreadView key={t.id} thread={t} userId={userId} comments={comments} onOpen={onOpen} />
      ))}
    </section>
  )
}
