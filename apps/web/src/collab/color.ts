/**
 * A user's colour, derived from their id so it is the same in every client and every session, and never taken
 * from what a peer put into its awareness state (that would let a peer inject arbitrary CSS).
 */
export function colorFor(userId: string, alpha = 1): string {
  const hue = hash(userId) % 360
  return alpha === 1 ? `hsl(${hue} 75% 62%)` : `hsl(${hue} 75% 62% / ${alpha})`
}

/** FNV-1a, 32 bit: tiny and well spread for short strings such as UUIDs. */
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
