import { useCallback, useEffect, useState } from 'react'
import type { CollabConnection } from '../collab/connection'
import type { PresencePeer } from '../collab/presence'
import { caretOffsetOf } from './follow'
import { docNameOfUri } from './model-uri'
import type { monaco } from './monaco-setup'

export interface FollowOptions {
  editor: monaco.editor.IStandaloneCodeEditor | null
  connection: CollabConnection | null
  peers: PresencePeer[]
  activeDocName: string | null
  /** Opens a file in a tab and shows it. */
  openDoc: (docName: string) => void
}

export interface Follow {
  following: string | null
  follow: (userId: string | null) => void
}

/**
 * Follow mode: show the file the followed person is in and keep their caret in view, until the follower types
 * or clicks in the editor (or picks another file themselves, which calls `follow(null)`).
 */
export function useFollow({ editor, connection, peers, activeDocName, openDoc }: FollowOptions): Follow {
  const [following, setFollowing] = useState<string | null>(null)
  const target = peers.find((p) => p.user.id === following && !p.isSelf)
  const targetDoc = target?.file?.docName ?? null

  useEffect(() => {
    if (targetDoc && targetDoc !== activeDocName) openDoc(targetDoc)
  }, [targetDoc, activeDocName, openDoc])

  useEffect(() => {
    if (!editor || !following) return
    const stop = () => setFollowing(null)
    const subs = [editor.onKeyDown(stop), editor.onMouseDown(stop)]
    return () => subs.forEach((d) => d.dispose())
  }, [editor, following])

  useEffect(() => {
    if (!editor || !connection || !following || !activeDocName) return
    const reveal = () => revealCaret(editor, connection, activeDocName, following)
    reveal()
    const off = connection.subscribeAwareness(reveal)
    // The model may be bound a moment after the file opens; reveal once it is shown.
    const sub = editor.onDidChangeModel(reveal)
    return () => {
      off()
      sub.dispose()
    }
  }, [editor, connection, following, activeDocName])

  return { following, follow: useCallback((userId: string | null) => setFollowing(userId), []) }
}

function revealCaret(
  editor: monaco.editor.IStandaloneCodeEditor,
  connection: CollabConnection,
  docName: string,
  userId: string,
): void {
  const session = connection.get(docName)
  const model = editor.getModel()
  if (!session || !model || docNameOfUri(model.uri) !== docName) return
  const offset = caretOffsetOf(session, userId)
  if (offset === null) return
  editor.revealPositionInCenterIfOutsideViewport(model.getPositionAt(offset))
}
