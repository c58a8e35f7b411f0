import { vectorStatus, type Db, type VectorStatus } from '@mimiverse/db'

/** How long a vector-support answer is reused, in ms: the schema only changes when some process migrates. */
const TTL_MS = 30_000

/**
 * Whether the database has pgvector and the vector parts of the schema (see db's `migrate`), asked at most
 * every 30 s. Without them code search runs in text mode: the indexer stores no vectors, hybrid search ranks by
 * text alone, and vector search says what to install. Once another start has added them, the next answer
 * turns vector search on (and the indexer re-embeds the project as for a new model).
 */
export function createVectorSupport(db: Db, ttlMs = TTL_MS): () => Promise<VectorStatus> {
  let cached: { at: number; status: Promise<VectorStatus> } | null = null
  return () => {
    if (!cached || performance.now() - cached.at > ttlMs) {
      const status = vectorStatus(db)
      cached = { at: performance.now(), status }
      // A failed check is not remembered: the next call asks again.
      status.catch(() => {
        if (cached?.status === status) cached = null
      })
    }
    return cached.status
  }
}
