import { colorFor } from './color'

/** Awareness field names (public contract between clients; the AI co-editor will publish the same fields). */
export const AwarenessField = {
  /** `{ id, name, color }` of the person behind a client. */
  User: 'user',
  /** `{ docName, path }` of the file the person is looking at, set on every open document's awareness. */
  File: 'file',
} as const

export interface AwarenessUser {
  id: string
  name: string
  color: string
}

export interface CurrentFile {
  docName: string
  path: string
}

/** One person in the project, merged over the awareness of every open file. */
export interface PresencePeer {
  user: AwarenessUser
  isSelf: boolean
  /** The file they are looking at, when they said so. */
  file: CurrentFile | null
  /** Where their cursors live: one awareness client per open document. */
  clients: { docName: string; clientId: number }[]
}

/** What one open document's awareness says. */
export interface AwarenessSource {
  docName: string
  localClientId: number
  states: Map<number, Record<string, unknown>>
  /** Awareness meta: the freshest client decides which file a person is in. */
  lastUpdated: (clientId: number) => number
}

/**
 * Reads a peer's `user` field defensively: awareness is written by other clients. The server holds `user` to the
 * connection's token, but a reader must not depend on every node being up to date.
 */
export function readUser(state: Record<string, unknown>): AwarenessUser | null {
  const u = state[AwarenessField.User] as Partial<AwarenessUser> | undefined
  if (typeof u?.id !== 'string' || typeof u.name !== 'string' || !u.id) return null
  return { id: u.id.slice(0, 64), name: u.name.slice(0, 80), color: colorFor(u.id) }
}

export function readFile(state: Record<string, unknown>): CurrentFile | null {
  const f = state[AwarenessField.File] as Partial<CurrentFile> | undefined
  if (typeof f?.docName !== 'string' || typeof f.path !== 'string') return null
  return { docName: f.docName, path: f.path }
}

/** Merges the awareness of all open documents into one entry per user, yourself first, then by name. */
export function aggregatePresence(sources: AwarenessSource[], selfId: string): PresencePeer[] {
  const byUser = new Map<string, PresencePeer & { freshness: number }>()
  for (const source of sources) {
    for (const [clientId, state] of source.states) {
      const user = readUser(state)
      if (!user) continue
      const peer = byUser.get(user.id) ?? {
        user,
        isSelf: user.id === selfId,
        file: null,
        clients: [],
        freshness: -1,
      }
      peer.clients.push({ docName: source.docName, clientId })
      const freshness = source.lastUpdated(clientId)
      if (freshness > peer.freshness && readFile(state)) {
        peer.file = readFile(state)
        peer.freshness = freshness
      }
      byUser.set(user.id, peer)
    }
  }
  return [...byUser.values()]
    .map(({ freshness: _, ...peer }) => peer)
    .sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name))
}
