/** An item of a batch that failed on its own, and why. */
export interface FailedAlone<T> {
  item: T
  error: unknown
}

/**
 * Runs `run` on the whole batch; if that fails, on each item alone, so that one item that fails (a file whose
 * text cannot be read, a chunk the embedder refuses) never takes the rest of the batch down with it. Resolves
 * with the items that failed on their own; `onBatchFailed` hears about the batch's failure, once.
 */
export async function batchOrAlone<T>(
  items: readonly T[],
  run: (batch: readonly T[]) => Promise<void>,
  onBatchFailed: (error: unknown) => void,
): Promise<FailedAlone<T>[]> {
  if (items.length === 0) return []
  try {
    await run(items)
    return []
  } catch (e: unknown) {
    if (items.length === 1) return [{ item: items[0]!, error: e }]
    onBatchFailed(e)
  }
  const failed: FailedAlone<T>[] = []
  for (const item of items) {
    try {
      await run([item])
    } catch (error: unknown) {
      failed.push({ item, error })
    }
  }
  return failed
}
