import { useEffect, useState } from 'react'
import { subscribeColors } from './color'
import type { CollabConnection } from './connection'
import { aggregatePresence, type AwarenessSource, type PresencePeer } from './presence'

/** What every open file's awareness says, as one source per file. */
export function awarenessSources(connection: CollabConnection): AwarenessSource[] {
  return connection.all().map((s) => ({
    docName: s.docName,
    localClientId: s.doc.clientID,
    states: s.awareness.getStates(),
    lastUpdated: (clientId) => s.awareness.meta.get(clientId)?.lastUpdated ?? 0,
  }))
}

/**
 * Who is in the project, merged over the awareness of the open files (there is no project-wide channel: a
 * person shows up once you share at least one open file; each client says in every open file which file it is
 * looking at).
 */
export function usePresence(connection: CollabConnection | null, selfId: string): PresencePeer[] {
  const [peers, setPeers] = useState<PresencePeer[]>([])
  useEffect(() => {
    if (!connection) return
    // Awareness changes with every caret move; the list only re-renders when who-is-where changes.
    let key = ''
    const update = () => {
      const next = aggregatePresence(awarenessSources(connection), selfId)
      const nextKey = JSON.stringify(next)
      if (nextKey === key) return
      key = nextKey
      setPeers(next)
    }
    update()
    const offAwareness = connection.subscribeAwareness(update)
    const offChange = connection.subscribe(update)
    const offColors = subscribeColors(update)
    return () => {
      offAwareness()
      offChange()
      offColors()
    }
  }, [connection, selfId])
  return peers
}
