import { useEffect } from 'react'
import { subscribeColors } from '../collab/color'
import type { CollabConnection } from '../collab/connection'
import { readUser } from '../collab/presence'
import { remoteCursorCss, type RemoteClient } from './remote-cursor-css'

/** Keeps one stylesheet with the cursor styles of every remote awareness client of the open files. */
export function useRemoteCursorStyles(connection: CollabConnection | null): void {
  useEffect(() => {
    if (!connection) return
    const sheet = new CSSStyleSheet()
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    let css = ''
    const update = () => {
      const next = remoteCursorCss(remoteClients(connection))
      if (next !== css) sheet.replaceSync((css = next))
    }
    update()
    const off = connection.subscribeAwareness(update)
    const offColors = subscribeColors(update)
    return () => {
      off()
      offColors()
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet)
    }
  }, [connection])
}

function remoteClients(connection: CollabConnection): RemoteClient[] {
  const clients: RemoteClient[] = []
  for (const session of connection.all()) {
    for (const [clientId, state] of session.awareness.getStates()) {
      const user = readUser(state)
      if (user && clientId !== session.doc.clientID)
        clients.push({ clientId, userId: user.id, name: user.name })
    }
  }
  return clients
}
