import { useCallback, useMemo, useState, type ReactNode } from 'react'
import type { CollabConnection } from '../collab/connection'
import type { FileBinding } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import type { RevealTarget } from '../editor/use-reveal-line'
import { CommentsPanel } from './comments-panel'
import type { Mention, Thread } from './comments-model'
import { EditorComments } from './editor-comments'
import { useCommentRequest } from './use-comment-request'
import { useComments } from './use-comments'

export interface WorkspaceCommentsOptions {
  projectId: string
  userId: string
  connection: CollabConnection | null
  editor: monaco.editor.IStandaloneCodeEditor | null
  /** The shown file's binding and path. */
  binding: FileBinding | undefined
  path: string | null
  /** Whether the Comments view is shown in the sidebar. */
  open: boolean
  openDoc: (docName: string) => void
  reveal: (target: RevealTarget) => void
}

/**
 * Everything review comments add to the workspace: the Comments view of the sidebar, the overlay in the editor
 * (marks, inline thread, new comment box), and `comment()` for the command palette.
 */
export function useWorkspaceComments(o: WorkspaceCommentsOptions): {
  panel: ReactNode
  overlay: ReactNode
  comment: () => boolean
} {
  const { openDoc, reveal } = o
  const comments = useComments(o.projectId, o.connection)
  const request = useCommentRequest(o.editor)
  const [shownThread, setShownThread] = useState<string | null>(null)
  const openThread = useCallback(
    (t: Thread) => {
      openDoc(t.docName)
      setShownThread(t.id)
      if (t.range) reveal({ docName: t.docName, line: t.range.startLine })
    },
    [openDoc, reveal],
  )
  const openMention = (m: Mention) => {
    const thread = comments.threads?.find((t) => t.id === m.threadId)
    if (thread) openThread(thread)
  }
  const docName = o.binding?.docName ?? null
  const fileThreads = useMemo(
    () => (comments.threads ?? []).filter((t) => t.docName === docName && t.status === 'open'),
    [comments.threads, docName],
  )
  const session = docName ? o.connection?.get(docName) : undefined
  const overlay =
    o.editor && o.binding && session && o.path ? (
      <EditorComments
        editor={o.editor}
        binding={o.binding}
        path={o.path}
        doc={session.doc}
        text={session.text}
        threads={fileThreads}
        userId={o.userId}
        comments={comments}
        request={request.request}
        onCloseRequest={request.close}
        shownThread={shownThread}
        onShowThread={setShownThread}
      />
    ) : null
  const panel = (
    <CommentsPanel
      open={o.open}
      userId={o.userId}
      comments={comments}
      onOpen={openThread}
      onOpenMention={openMention}
    />
  )
  return { panel, overlay, comment: request.start }
}
