/**
 * A collaborator's colour, derived from their awareness `user.id` so it is the same in every client and every
 * session, and never taken from what a peer put into its awareness state (that would let a peer inject
 * arbitrary CSS). Outside agents get their own ids, hence their own colours.
 */
export function colorFor(userId: string, alpha = 1): string {
  const hue = fnv1a(userId) % 360
  return alpha === 1 ? `hsl(${hue} 75% 62%)` : `hsl(${hue} 75% 62% / ${alpha})`
}

/** FNV-1a, 32 bit: tiny and well spread for short strings such as UUIDs. Not a cryptographic hash. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
