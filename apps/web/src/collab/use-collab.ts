import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { api, type User } from '../api/trpc'
import { toProblem } from '../api/errors'
import { CollabConnection, type ConnectionSnapshot } from './connection'
import { Refusal } from './refusal'

export interface CollabEvents {
  /** A file's document is gone or the user lost access to the project. */
  onRefused: (docName: string, refusal: Refusal) => void
}

/** The project's collab connection, alive while the project is open. */
export function useCollabConnection(
  projectId: string,
  user: User,
  events: CollabEvents,
): CollabConnection | null {
  const [connection, setConnection] = useState<CollabConnection | null>(null)
  // The latest handlers, without reconnecting when the caller passes a new object on each render.
  const eventsRef = useRef(events)
  useEffect(() => {
    eventsRef.current = events
  })
  const { id, name } = user
  useEffect(() => {
    const report: CollabEvents['onRefused'] = (docName, refusal) =>
      eventsRef.current.onRefused(docName, refusal)
    // `project` lets a proxy route everyone in a project to the same collab node (deploy/nginx.conf).
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    const url = `${scheme}://${location.host}/collab?project=${encodeURIComponent(projectId)}`
    const conn = new CollabConnection({
      url,
      user: { id, name },
      onRefused: report,
      fetchToken: async () => {
        try {
          return await api.collab.token.mutate({ projectId })
        } catch (e: unknown) {
          const { code } = toProblem(e)
          if (code === 'FORBIDDEN' || code === 'UNAUTHORIZED') report('', Refusal.NoAccess)
          throw e
        }
      },
    })
    setConnection(conn)
    return () => conn.destroy()
  }, [projectId, id, name])
  return connection
}

const offlineSnapshot: ConnectionSnapshot = {
  status: 'idle',
  unsynced: 0,
  synced: false,
  socketOpen: false,
  localCopies: false,
  keeping: false,
  fromLocalCopy: false,
}

/** Connection status and unacknowledged edits, re-rendering on every change. */
export function useConnectionSnapshot(connection: CollabConnection | null): ConnectionSnapshot {
  return useSyncExternalStore(
    (listener) => connection?.subscribe(listener) ?? (() => {}),
    () => connection?.snapshot() ?? offlineSnapshot,
  )
}
