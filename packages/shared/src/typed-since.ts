/**
 * What was typed at the cursor between two snapshots of the text before it (inline completion: does a later
 * request continue an earlier one?). Both are windows of the last characters before the cursor, so the later
 * one need not start with the earlier one: it must end with the earlier one's last `TAIL_CHARS` followed by
 * at most `maxTyped` characters. Returns the typed text (possibly empty), or null when the later text does not
 * continue the earlier one.
 */
export const TYPED_TAIL_CHARS = 200

export function typedSince(earlier: string, later: string, maxTyped: number): string | null {
  const tail = earlier.slice(-TYPED_TAIL_CHARS)
  for (let k = 0; k <= maxTyped && k <= later.length - tail.length; k++) {
    const cut = later.length - k
    if (later.endsWith(tail, cut)) return later.slice(cut)
  }
  return null
}
