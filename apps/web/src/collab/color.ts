import { colorFor as derivedColor } from '@mimiverse/shared'

/**
 * People's colours. In a project the server gives each member one no other member of it has (`settings.colors`,
 * see `useProjectColors`); until that answers, and for those it does not list (agents, the workspace), the
 * colour is derived from the id, as the servers derive an agent's. Never taken from what a peer put into its
 * awareness state (that would let a peer inject arbitrary CSS); the server's answers are checked against the
 * two shapes it sends.
 */
let assigned = new Map<string, string>()
let version = 0
const listeners = new Set<() => void>()

/** The server's colours: `#rrggbb` from the palette, or `hsl(<hue> 70% 60%)` past it. */
const SERVER_COLOR = /^(#[0-9a-f]{6}|hsl\(\d{1,3} 70% 60%\))$/

/** Replaces the assigned colours (an empty list forgets them, when the project is left). */
export function setAssignedColors(colors: { userId: string; color: string }[]): void {
  const next = new Map(colors.filter((c) => SERVER_COLOR.test(c.color)).map((c) => [c.userId, c.color]))
  if (next.size === assigned.size && [...next].every(([id, c]) => assigned.get(id) === c)) return
  assigned = next
  version++
  for (const l of listeners) l()
}

export function hasAssignedColor(userId: string): boolean {
  return assigned.has(userId)
}

/** Calls `listener` when the assigned colours change; returns the unsubscribe. */
export function subscribeColors(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Changes whenever the assigned colours do (for `useSyncExternalStore`). */
export function colorsVersion(): number {
  return version
}

export function colorFor(userId: string, alpha = 1): string {
  const given = assigned.get(userId)
  return given ? withAlpha(given, alpha) : derivedColor(userId, alpha)
}

function withAlpha(color: string, alpha: number): string {
  if (alpha === 1) return color
  if (color.startsWith('#')) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
    return `rgb(${r} ${g} ${b} / ${alpha})`
  }
  return color.replace(')', ` / ${alpha})`)
}
