import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { FileBinding } from '../editor/file-binding'
import { monaco } from '../editor/monaco-setup'
import { useAnchoredPosition } from '../editor/use-anchored-position'
import { problemMessage } from '../api/errors'
import { encodePosition, type Thread } from './comments-model'
import { useCommentDecorations } from './comment-decorations'
import { Composer, ThreadView } from './thread-view'
import type { CommentRequest } from './use-comment-request'
import type { Comments } from './use-comments'

export interface EditorCommentsProps {
  editor: monaco.editor.IStandaloneCodeEditor
  binding: FileBinding
  path: string
  doc: Y.Doc
  text: Y.Text
  /** The open threads of this file. */
  threads: Thread[]
  userId: string
  comments: Comments
  request: CommentRequest | null
  onCloseRequest: () => void
  /** A thread to show inline (from the panel or the inbox), by id. */
  shownThread: string | null
  onShowThread: (id: string | null) => void
}

/**
 * Review comments in the editor: gutter marks on the open threads of the shown file, the thread of a clicked
 * mark shown inline under its first line, and the box for a new comment under the selection.
 */
export function EditorComments(props: EditorCommentsProps) {
  const { editor, binding, threads, request, onShowThread } = props
  const placed = useCommentDecorations(binding.model, props.doc, threads)
  useEffect(() => {
    const sub = editor.onMouseDown((e) => {
      if (e.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN) return
      const line = e.target.position?.lineNumber
      const hit = placed.find((p) => line !== undefined && p.startLine <= line && line <= p.endLine)
      if (hit) onShowThread(hit.thread.id)
    })
    return () => sub.dispose()
  }, [editor, placed, onShowThread])
  const shown = placed.find((p) => p.thread.id === props.shownThread)
  const composing = request?.docName === binding.docName ? request : null
  return (
    <>
      {shown && !composing && (
        <InlineBox
          editor={editor}
          line={shown.startLine}
          label="Comment thread"
          onClose={() => onShowThread(null)}
        >
          <ThreadView thread={shown.thread} userId={props.userId} comments={props.comments} />
        </InlineBox>
      )}
      {composing && <NewComment {...props} request={composing} />}
    </>
  )
}

function NewComment(props: EditorCommentsProps & { request: CommentRequest }) {
  const { request, text, onCloseRequest } = props
  const [error, setError] = useState<string | null>(null)
  const create = (body: string) =>
    props.comments
      .create({
        path: props.path,
        from: encodePosition(text, request.from, 0),
        to: encodePosition(text, request.to, -1),
        body,
      })
      .then(onCloseRequest, (e: unknown) => {
        setError(problemMessage(e))
        throw e
      })
  return (
    <InlineBox
      editor={props.editor}
      line={request.anchor.lineNumber}
      label="New comment"
      onClose={onCloseRequest}
    >
      <Composer label="Comment" autoFocus onSubmit={create} onCancel={onCloseRequest} />
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </InlineBox>
  )
}

/** A box over the editor under `line` (React, not a Monaco widget: keys typed in it must not reach Monaco). */
function InlineBox(props: {
  editor: monaco.editor.IStandaloneCodeEditor
  line: number
  label: string
  onClose: () => void
  children: React.ReactNode
}) {
  const point = useAnchoredPosition(props.editor, { lineNumber: props.line, column: 1 })
  const style = point
    ? { top: point.top + point.height + 2, left: Math.max(point.left, 8) }
    : { top: 8, left: 56 }
  return (
    <div className="comment-inline" role="dialog" aria-label={props.label} style={style}>
      <button className="ghost icon comment-inline-close" aria-label="Close" onClick={props.onClose}>
        ×
      </button>
      {props.children}
    </div>
  )
}
