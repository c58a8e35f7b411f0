import type { VectorStatus } from '@mimiverse/db'
import { MAX_QUERY_CHARS } from '../../contracts/search'
import type { CodebaseSearch } from '../chat-context'
import { createIndexer, type Indexer, type IndexerOptions } from './indexer'
import { createSearchQueries, type SearchQueries } from './query'
import { createVectorSupport } from './vector-support'

/** Code search (issue 5): the live indexer and the queries, over the tables of `db/migrations/0001_search.sql`. */
export interface SearchService extends SearchQueries {
  indexer: Indexer
  /** Whether the database has pgvector (cached 30 s): without, search runs in text mode (said by /readyz). */
  vectorSupport(): Promise<VectorStatus>
  /** The `@codebase` seam of the chat: hybrid search, chunks labelled with their line range. */
  codebase: CodebaseSearch
}

/** The indexer's options (the service's queries need only its `db`, `embeddings` and `metrics`). */
export type SearchOptions = Omit<IndexerOptions, 'batchFiles' | 'embedBatch'>

export function createSearchService(options: SearchOptions): SearchService {
  const o = { ...options, vectorSupport: options.vectorSupport ?? createVectorSupport(options.db) }
  const queries = createSearchQueries(o)
  return {
    ...queries,
    indexer: createIndexer(o),
    vectorSupport: o.vectorSupport,
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
