import { fnv1a, PRESENCE_COLORS } from '@mimiverse/shared'

/** A member of a project as colour assignment sees them: in the order they joined. */
export interface ColorCandidate {
  userId: string
  /** The colour they picked in their settings, or null. */
  preferred: string | null
}

/**
 * Gives every member of a project a colour no other member of it has. Members are served in the order they
 * joined: each gets their pick when it is still free, else the free palette colour nearest (walking the
 * palette forward) to the one their id hashes to, so a person keeps the same colour from project to project
 * when they can. Past the palette's twelve colours, hues are spread by the golden angle (still distinct text,
 * closer to each other).
 */
export function assignColors(members: ColorCandidate[]): Map<string, string> {
  const taken = new Set<string>()
  const out = new Map<string, string>()
  for (const { userId, preferred } of members) {
    const color = preferred && !taken.has(preferred) ? preferred : nearestFree(fnv1a(userId), taken)
    taken.add(color)
    out.set(userId, color)
  }
  return out
}

function nearestFree(start: number, taken: Set<string>): string {
  const n = PRESENCE_COLORS.length
  for (let i = 0; i < n; i++) {
    const color = PRESENCE_COLORS[(start + i) % n]!
    if (!taken.has(color)) return color
  }
  for (let k = 0; ; k++) {
    const color = `hsl(${Math.round((start + k * 137.508) % 360)} 70% 60%)`
    if (!taken.has(color)) return color
  }
}
