import { useCallback, useEffect, useRef, useState } from 'react'
import { problemMessage } from '../api/errors'
import { aiApi, type SearchMode, type SearchResults } from '../ai/ai-client'
import { LatestRequest } from './latest-request'

/** Quiet time after the last keystroke before searching, in ms. */
export const SEARCH_DEBOUNCE_MS = 250
/** Hits asked for; the panel groups them by file. */
const RESULT_LIMIT = 50

export interface SearchState {
  /** The results of `query` (the query they answer, which may lag what is typed). */
  results: SearchResults | null
  query: string
  loading: boolean
  error: string | null
}

const empty: SearchState = { results: null, query: '', loading: false, error: null }

/**
 * Searches the project as the user types (debounced) or at once (`searchNow`, on Enter). Only the newest
 * request counts: older ones are aborted and their late answers ignored.
 */
export function useSearch(opts: { projectId: string; query: string; mode: SearchMode }) {
  const { projectId, query, mode } = opts
  const [state, setState] = useState<SearchState>(empty)
  const latest = useRef(new LatestRequest())

  const run = useCallback(
    async (q: string) => {
      setState((s) => ({ ...s, loading: true }))
      const outcome = await latest.current.run((signal) =>
        aiApi.search.query.query({ projectId, q, mode, limit: RESULT_LIMIT }, { signal }),
      )
      if (outcome.kind === 'done') setState({ results: outcome.value, query: q, loading: false, error: null })
      if (outcome.kind === 'failed') {
        setState({ results: null, query: q, loading: false, error: problemMessage(outcome.error) })
      }
    },
    [projectId, mode],
  )

  useEffect(() => {
    if (query.trim() === '') {
      latest.current.cancel()
      setState(empty)
      return
    }
    const timer = setTimeout(() => void run(query), SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [query, run])

  const searchNow = useCallback(() => {
    if (query.trim() !== '') void run(query)
  }, [query, run])

  return { ...state, searchNow }
}
