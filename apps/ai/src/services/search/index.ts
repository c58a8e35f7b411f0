import type { Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { MAX_QUERY_CHARS } from '../../contracts/search'
import type { CodebaseSearch } from '../chat-context'
import type { EmbeddingService } from '../embeddings'
import type { AiMetrics } from '../metrics'
import { createIndexer, type Indexer } from './indexer'
import { createSearchQueries, type SearchQueries } from './query'

/** Code search (issue 5): the live indexer and the queries, over the tables of `db/migrations/0001_search.sql`. */
export interface SearchService extends SearchQueries {
  indexer: Indexer
  /** The `@codebase` seam of the chat: hybrid search, chunks labelled with their line range. */
  codebase: CodebaseSearch
}

export interface SearchOptions {
  db: Db
  embeddings: EmbeddingService
  metrics: AiMetrics
  log: Logger
  pollMs: number
  debounceMs: number
  maxWaitMs: number
  maxFileBytes: number
  maxChunksPerFile: number
}

export function createSearchService(o: SearchOptions): SearchService {
  const queries = createSearchQueries(o)
  return {
    ...queries,
    indexer: createIndexer(o),
    codebase: {
      async search(projectId, message, limit) {
        // The mentions are instructions to us, not words to look for.
        const q = message
          .replace(/(?:^|\s)@(?:file:\S+|codebase\b)/g, ' ')
          .trim()
          .slice(0, MAX_QUERY_CHARS)
        if (!q) return []
        const { results } = await queries.query({ projectId, q, mode: 'hybrid', limit })
        return results.map((h) => ({ path: `${h.path}:${h.startLine}-${h.endLine}`, text: h.snippet }))
      },
    },
  }
}
