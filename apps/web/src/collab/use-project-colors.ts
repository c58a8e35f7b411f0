import { useEffect, useState, useSyncExternalStore } from 'react'
import { COLORS_EVENT } from '@mimiverse/shared'
import { api } from '../api/trpc'
import { colorsVersion, hasAssignedColor, setAssignedColors, subscribeColors } from './color'
import type { CollabConnection } from './connection'
import type { PresencePeer } from './presence'
import { useProjectEvent } from './project-events'

/** A safety net: a member's change of colour is announced (`COLORS_EVENT`); the picks are read again then too. */
const REFRESH_MS = 60_000
/** Accounts have UUIDs; those in presence without one (agents, the workspace) are not members and get none. */
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Keeps the project's member colours (`settings.colors`) for `colorFor`: read on opening, when your own pick
 * changes, when the server announces someone else's, when someone shows up in presence whom the list does not
 * know yet (a new member), and every minute. Forgotten when the project closes.
 */
export function useProjectColors(
  projectId: string,
  peers: PresencePeer[],
  ownColor: string | null,
  connection: CollabConnection | null,
): void {
  const [announced, setAnnounced] = useState(0)
  useProjectEvent(connection, projectId, COLORS_EVENT, () => setAnnounced((n) => n + 1))
  const unknown = peers.some((p) => !hasAssignedColor(p.user.id) && ACCOUNT_ID.test(p.user.id))
  const unknownKey = unknown ? peers.map((p) => p.user.id).join(',') : ''
  useEffect(() => {
    let current = true
    const load = () =>
      api.settings.colors.query({ projectId }).then(
        (colors) => current && setAssignedColors(colors),
        // Derived colours stand in until the next read.
        () => {},
      )
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => {
      current = false
      clearInterval(timer)
    }
  }, [projectId, ownColor, unknownKey, announced])
  useEffect(() => () => setAssignedColors([]), [projectId])
}

/** Re-renders the caller when the assigned colours change. */
export function useColorsVersion(): number {
  return useSyncExternalStore(subscribeColors, colorsVersion)
}
