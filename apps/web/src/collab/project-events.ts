import { useEffect, useRef } from 'react'
import { ProjectDoc, projectDocName, projectEventOf, type ProjectEventType } from '@mimiverse/shared'
import type { CollabConnection } from './connection'

/**
 * Holds the project's events document (`<projectId>/events`) open while the IDE is, so the server's
 * announcements (file list, comments, colours) reach this browser even when no file is open. It carries stateless
 * messages only; `useProjectEvent` hears them.
 */
export function useProjectEventsDocument(connection: CollabConnection | null, projectId: string): void {
  useEffect(() => {
    if (!connection) return
    const session = connection.openAside(projectDocName(projectId, ProjectDoc.Events), {
      onChange: () => {},
      // A lost membership closes the whole IDE through the file documents; polling stands in meanwhile.
      onRefused: () => {},
    })
    return () => session.destroy()
  }, [connection, projectId])
}

/**
 * Calls `handler` whenever the server announces an event of `type` for the project. The same announcement arrives
 * once per open document of the project, so `handler` should coalesce (e.g. `useCoalescedRead`).
 */
export function useProjectEvent(
  connection: CollabConnection | null,
  projectId: string,
  type: ProjectEventType,
  handler: () => void,
): void {
  const latest = useRef(handler)
  latest.current = handler
  useEffect(() => {
    const off = connection?.subscribeStateless((payload) => {
      if (projectEventOf(payload, projectId) === type) latest.current()
    })
    return () => {
      off?.()
    }
  }, [connection, projectId, type])
}
