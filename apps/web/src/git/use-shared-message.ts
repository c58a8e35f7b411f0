import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { ProjectDoc, projectDocName } from '@mimiverse/shared'
import type { CollabConnection } from '../collab/connection'
import type { DocSession } from '../collab/doc-session'
import { beginCommit, mapIndex, replaceText } from './shared-text'

export interface SharedMessage {
  /** Bind to the textarea: remote changes keep its caret in place. */
  ref: React.RefObject<HTMLTextAreaElement | null>
  value: string
  /** False until the first sync (typing before it would show a text that is about to change). */
  ready: boolean
  /** Why the message cannot be shared (access lost); null normally. */
  problem: string | null
  onChange: (next: string) => void
  /** The message now, and how to clear it after the commit succeeded (see `beginCommit`). */
  begin: () => { message: string; clear: () => void }
}

/**
 * The project's commit message, one shared document (`<projectId>/commit-message`) that everyone in the Source
 * Control view edits at once, over the project's collab connection; open while `enabled`.
 */
export function useSharedMessage(
  connection: CollabConnection | null,
  projectId: string,
  enabled: boolean,
): SharedMessage {
  const ref = useRef<HTMLTextAreaElement | null>(null)
  const [session, setSession] = useState<DocSession | null>(null)
  const [value, setValue] = useState('')
  const [ready, setReady] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const caret = useRef<[number, number] | null>(null)

  useEffect(() => {
    if (!connection || !enabled) return
    const opened = connection.openAside(projectDocName(projectId, ProjectDoc.CommitMessage), {
      onChange: () => setReady(opened.isSynced()),
      onRefused: () => setProblem('The shared commit message is not available to you.'),
    })
    const observer = (event: Y.YTextEvent) => {
      const el = ref.current
      if (!event.transaction.local && el && document.activeElement === el) {
        caret.current = [mapIndex(el.selectionStart, event.delta), mapIndex(el.selectionEnd, event.delta)]
      }
      setValue(opened.text.toString())
    }
    opened.text.observe(observer)
    setSession(opened)
    setValue(opened.text.toString())
    setReady(opened.isSynced())
    return () => {
      opened.text.unobserve(observer)
      opened.destroy()
      setSession(null)
      setReady(false)
    }
  }, [connection, projectId, enabled])

  useLayoutEffect(() => {
    const el = ref.current
    if (el && caret.current) el.setSelectionRange(...caret.current)
    caret.current = null
  }, [value])

  return {
    ref,
    value,
    ready: ready && session !== null,
    problem,
    onChange: (next) => session && replaceText(session.text, next),
    begin: () => (session ? beginCommit(session.text) : { message: value, clear: () => undefined }),
  }
}
