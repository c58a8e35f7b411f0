import { useEffect, useSyncExternalStore } from 'react'
import { api } from '../api/trpc'
import { colorsVersion, hasAssignedColor, setAssignedColors, subscribeColors } from './color'
import type { PresencePeer } from './presence'

/** Members change their colour rarely; everyone's picks are read again this often while the project is open. */
const REFRESH_MS = 30_000
/** Accounts have UUIDs; those in presence without one (agents, the workspace) are not members and get none. */
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Keeps the project's member colours (`settings.colors`) for `colorFor`: read on opening, when your own pick
 * changes, when someone shows up in presence whom the list does not know yet (a new member), and every 30 s.
 * Forgotten when the project closes.
 */
export function useProjectColors(projectId: string, peers: PresencePeer[], ownColor: string | null): void {
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
  }, [projectId, ownColor, unknownKey])
  useEffect(() => () => setAssignedColors([]), [projectId])
}

/** Re-renders the caller when the assigned colours change. */
export function useColorsVersion(): number {
  return useSyncExternalStore(subscribeColors, colorsVersion)
}
