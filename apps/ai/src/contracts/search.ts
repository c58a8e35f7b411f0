import { z } from 'zod'
import { idSchema } from '@mimiverse/shared'

/** Search API (public contract, issue 5): inputs are validated here; outputs are the types below. */
export const MAX_QUERY_CHARS = 1000
export const MAX_SEARCH_RESULTS = 100

export const searchModeSchema = z.enum(['hybrid', 'text', 'vector'])
export type SearchMode = z.infer<typeof searchModeSchema>

export const searchQueryInput = z.object({
  projectId: idSchema,
  q: z
    .string()
    .max(MAX_QUERY_CHARS, `the query is longer than ${MAX_QUERY_CHARS} characters`)
    .refine((q) => q.trim().length > 0, { message: 'enter something to search for' }),
  mode: searchModeSchema.default('hybrid'),
  limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).default(20),
  /** Only files whose path starts with this folder or equals this file. */
  path: z.string().min(1).max(1024).optional(),
  /** Most hits of one file; default 2 in hybrid mode, unlimited in the others. (Added with issue 5.) */
  perFile: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional(),
})

export const searchStatusInput = z.object({ projectId: idSchema })

export interface SearchHit {
  fileId: string
  path: string
  /** 1-based, inclusive. */
  startLine: number
  endLine: number
  snippet: string
  score: number
}

export interface SearchResults {
  results: SearchHit[]
  mode: SearchMode
  /** Model whose vectors were searched; `null` for text mode. */
  embeddingModel: string | null
}

export interface SearchStatus {
  files: number
  /** Files whose current text is indexed. */
  indexedFiles: number
  chunks: number
  /** Files waiting to be (re)indexed. */
  pending: number
  embeddingModel: string | null
  state: 'idle' | 'indexing'
  /**
   * Set when search runs in text mode because the database lacks pgvector: "vector search needs pgvector: …"
   * and what to install. `null` when vector search is available.
   */
  textOnly: string | null
  /**
   * When a file of the project was last indexed (ISO 8601), `null` before the first: it changes whenever the
   * index does, so a client showing results knows to ask again.
   */
  indexedAt: string | null
}
