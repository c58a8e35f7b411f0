/** Reciprocal rank fusion constant (Cormack et al.; Tabby uses the same). */
export const RRF_K = 60

/**
 * Fuses ranked lists with reciprocal rank fusion: an item scores the sum of 1 / (k + rank) over the lists
 * that hold it (rank 1-based), so agreement between lists beats a high rank in one. Ties keep first-seen order.
 */
export function reciprocalRankFusion<T>(
  lists: T[][],
  keyOf: (item: T) => string,
  k = RRF_K,
): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>()
  for (const list of lists) {
    list.forEach((item, i) => {
      const key = keyOf(item)
      const entry = fused.get(key) ?? { item, score: 0 }
      entry.score += 1 / (k + i + 1)
      fused.set(key, entry)
    })
  }
  return [...fused.values()].sort((a, b) => b.score - a.score)
}

/** Keeps list order but at most `perFile` items of any one file. */
export function capPerFile<T>(items: T[], fileOf: (item: T) => string, perFile: number): T[] {
  const seen = new Map<string, number>()
  return items.filter((item) => {
    const n = seen.get(fileOf(item)) ?? 0
    seen.set(fileOf(item), n + 1)
    return n < perFile
  })
}
