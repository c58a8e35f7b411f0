import { useState } from 'react'
import { MAX_COMMENT_CHARS } from '@mimiverse/shared'
import { problemMessage } from '../api/errors'
import { shortTime, type Thread, type ThreadComment } from './comments-model'
import type { Comments } from './use-comments'

export interface ThreadViewProps {
  thread: Thread
  userId: string
  comments: Comments
  /** Opens the thread's file at its line (absent where the thread is shown in the editor already). */
  onOpen?: (thread: Thread) => void
}

/**
 * One review thread: where it is (or the quoted code once it is outdated), its comments as plain text (React
 * escapes them: never HTML), edit and delete for one's own, reply, resolve and reopen.
 */
export function ThreadView({ thread, userId, comments, onOpen }: ThreadViewProps) {
  const [error, setError] = useState<string | null>(null)
  const run = (p: Promise<unknown>) =>
    p.then(
      () => setError(null),
      (e: unknown) => setError(problemMessage(e)),
    )
  const where = thread.range ? `${thread.path}:${thread.range.startLine}` : thread.path
  const resolved = thread.status === 'resolved'
  return (
    <article
      className={`comment-thread ${thread.status}`}
      data-thread={thread.id}
      aria-label={`Thread on ${where}`}
    >
      <header className="comment-thread-head">
        {onOpen ? (
          <button className="link small" onClick={() => onOpen(thread)} title="Show in the editor">
            {where}
          </button>
        ) : (
          <span className="small muted">{where}</span>
        )}
        {thread.outdated && <span className="comment-badge">outdated</span>}
        {resolved && <span className="comment-badge">resolved</span>}
        <button className="ghost small" onClick={() => void run(comments.setResolved(thread.id, !resolved))}>
          {resolved ? 'Reopen' : 'Resolve'}
        </button>
      </header>
      {(thread.outdated || !onOpen) && <pre className="comment-quote">{thread.quote}</pre>}
      {[thread, ...thread.replies].map((c) => (
        <CommentItem key={c.id} comment={c} own={c.author.id === userId} comments={comments} run={run} />
      ))}
      <Composer label="Reply" onSubmit={(body) => run(comments.reply(thread.id, body))} />
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </article>
  )
}

function CommentItem(props: {
  comment: ThreadComment
  own: boolean
  comments: Comments
  run: (p: Promise<unknown>) => Promise<void>
}) {
  const { comment, own, comments, run } = props
  const [editing, setEditing] = useState(false)
  if (comment.deleted) return <p className="comment muted small">(deleted)</p>
  return (
    <div className="comment" data-comment={comment.id}>
      <div className="comment-meta small">
        <strong>{comment.author.name}</strong>{' '}
        <span className="muted">
          {shortTime(comment.createdAt)}
          {comment.editedAt ? ' · edited' : ''}
        </span>
        {own && !editing && (
          <span className="comment-actions">
            <button className="ghost small" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button className="ghost small" onClick={() => void run(comments.remove(comment.id))}>
              Delete
            </button>
          </span>
        )}
      </div>
      {editing ? (
        <Composer
          label="Save"
          initial={comment.body}
          onCancel={() => setEditing(false)}
          onSubmit={(body) => run(comments.update(comment.id, body)).then(() => setEditing(false))}
        />
      ) : (
        <p className="comment-body">{comment.body}</p>
      )}
    </div>
  )
}

/** A comment box: Ctrl/Cmd+Enter or the button sends; bounded like the server. */
export function Composer(props: {
  label: string
  initial?: string
  autoFocus?: boolean
  onSubmit: (body: string) => Promise<unknown>
  onCancel?: () => void
}) {
  const [draft, setDraft] = useState(props.initial ?? '')
  const [busy, setBusy] = useState(false)
  const send = () => {
    if (!draft.trim() || busy) return
    setBusy(true)
    props.onSubmit(draft.trim()).then(
      () => {
        setBusy(false)
        setDraft('')
      },
      () => setBusy(false),
    )
  }
  return (
    <div className="comment-composer">
      <textarea
        aria-label={props.label === 'Reply' ? 'Reply' : 'Comment'}
        placeholder={
          props.label === 'Reply' ? 'Reply… (@name mentions a member)' : 'Comment… (@name mentions a member)'
        }
        value={draft}
        rows={2}
        maxLength={MAX_COMMENT_CHARS}
        autoFocus={props.autoFocus}
        disabled={busy}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            send()
          } else if (e.key === 'Escape' && props.onCancel) {
            e.preventDefault()
            props.onCancel()
          }
        }}
      />
      <span className="comment-composer-actions">
        {props.onCancel && (
          <button className="ghost small" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button className="small" disabled={busy || !draft.trim()} onClick={send}>
          {props.label}
        </button>
      </span>
    </div>
  )
}
