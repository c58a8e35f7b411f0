import { useCallback, useEffect, useRef, useState } from 'react'
import { problemMessage } from '../api/errors'
import { aiApi, type SearchMode, type SearchResults, type SearchStatus } from '../ai/ai-client'
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
 * Searches the project as the user types (debounced) or at once (`searchNow`, on Enter), and again, quietly,
 * when the index changes (`indexVersion`), so results follow what people type. Only the newest request counts:
 * older ones are aborted and their late answers ignored.
 */
export function useSearch(opts: {
  projectId: string
  query: string
  mode: SearchMode
  /** Changes whenever the project's index does (`searchIndexVersion`); `null` while unknown. */
  indexVersion?: string | null
}) {
  const { projectId, query, mode, indexVersion = null } = opts
  const [state, setState] = useState<SearchState>(empty)
  const latest = useRef(new LatestRequest())

  const run = useCallback(
    async (q: string, quiet = false) => {
      if (!quiet) setState((s) => ({ ...s, loading: true }))
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

  // Not on the first version seen (the query's own search is on its way) nor on a query being typed.
  const seenVersion = useRef(indexVersion)
  useEffect(() => {
    const previous = seenVersion.current
    seenVersion.current = indexVersion
    if (previous === null || indexVersion === null || previous === indexVersion) return
    if (query.trim() !== '' && state.query === query) void run(query, true)
  }, [indexVersion, query, state.query, run])

  const searchNow = useCallback(() => {
    if (query.trim() !== '') void run(query)
  }, [query, run])

  return { ...state, searchNow }
}

/** What changes when the project's index does: a file indexed, chunks or files added or removed. */
export function searchIndexVersion(status: SearchStatus | null): string | null {
  return status ? `${status.indexedAt ?? ''}/${status.chunks}/${status.files}` : null
}
