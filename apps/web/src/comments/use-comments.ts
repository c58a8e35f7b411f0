import { useCallback, useEffect, useState } from 'react'
import { api } from '../api/trpc'
import { useCoalescedRead } from '../api/use-coalesced-read'
import { problemMessage } from '../api/errors'
import type { CollabConnection } from '../collab/connection'
import { isCommentsEvent, type Mention, type Thread } from './comments-model'

/**
 * A safety net only: changes arrive as the server's stateless message on the project's events document (held
 * open by every IDE of the project, see `useProjectEventsDocument`) and on every open file.
 */
const FALLBACK_POLL_MS = 30_000

/** Where a new thread starts: the file and the selection as encoded relative positions. */
export interface NewThread {
  path: string
  from: string
  to: string
  body: string
}

export interface Comments {
  threads: Thread[] | null
  inbox: Mention[]
  error: string | null
  refresh: () => void
  create: (t: NewThread) => Promise<void>
  reply: (threadId: string, body: string) => Promise<void>
  update: (commentId: string, body: string) => Promise<void>
  remove: (commentId: string) => Promise<void>
  setResolved: (threadId: string, resolved: boolean) => Promise<void>
  markRead: (mentionIds: string[]) => Promise<void>
}

/**
 * The project's review threads and the user's mentions: read once, again whenever the server announces a change
 * (a stateless message on an open document), on window focus, and after the user's own changes. Bursts of
 * announcements (one per open file) collapse into one read at a time.
 */
export function useComments(projectId: string, connection: CollabConnection | null): Comments {
  const [threads, setThreads] = useState<Thread[] | null>(null)
  const [inbox, setInbox] = useState<Mention[]>([])
  const [error, setError] = useState<string | null>(null)
  const refresh = useCoalescedRead(
    useCallback(
      () =>
        Promise.all([api.comments.list.query({ projectId }), api.comments.inbox.query({ projectId })]).then(
          ([list, mentions]) => {
            setThreads(list)
            setInbox(mentions)
            setError(null)
          },
          (e: unknown) => setError(problemMessage(e)),
        ),
      [projectId],
    ),
  )

  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, FALLBACK_POLL_MS)
    window.addEventListener('focus', refresh)
    const off = connection?.subscribeStateless((payload) => {
      if (isCommentsEvent(payload, projectId)) refresh()
    })
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', refresh)
      off?.()
    }
  }, [refresh, connection, projectId])

  const then =
    <A extends unknown[]>(fn: (...a: A) => Promise<unknown>) =>
    async (...a: A) => {
      await fn(...a)
      refresh()
    }
  return {
    threads,
    inbox,
    error,
    refresh,
    create: then((t: NewThread) => api.comments.create.mutate({ projectId, ...t })),
    reply: then((threadId: string, body: string) => api.comments.reply.mutate({ threadId, body })),
    update: then((commentId: string, body: string) => api.comments.update.mutate({ commentId, body })),
    remove: then((commentId: string) => api.comments.delete.mutate({ commentId })),
    setResolved: then((threadId: string, resolved: boolean) =>
      resolved ? api.comments.resolve.mutate({ threadId }) : api.comments.reopen.mutate({ threadId }),
    ),
    markRead: then((mentionIds: string[]) => api.comments.markRead.mutate({ mentionIds })),
  }
}
