import { useEffect, useState } from 'react'
import { problemMessage } from '../api/errors'
import { aiApi, type SearchStatus } from '../ai/ai-client'

/** Poll intervals of `search.status`, in ms: faster while files are waiting to be indexed. */
const POLL_INDEXING_MS = 1000
const POLL_IDLE_MS = 5000

export interface SearchStatusState {
  status: SearchStatus | null
  error: string | null
}

/**
 * Polls the index status while `active` (the search panel is open), one request at a time. Stops and forgets
 * the status when closed, so nothing stale is shown.
 */
export function useSearchStatus(projectId: string, active: boolean): SearchStatusState {
  const [state, setState] = useState<SearchStatusState>({ status: null, error: null })
  useEffect(() => {
    if (!active) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      let next = POLL_IDLE_MS
      try {
        const status = await aiApi.search.status.query({ projectId })
        if (!stopped) setState({ status, error: null })
        if (status.pending > 0) next = POLL_INDEXING_MS
      } catch (e: unknown) {
        if (!stopped) setState({ status: null, error: problemMessage(e) })
      }
      if (!stopped) timer = setTimeout(() => void poll(), next)
    }
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
      setState({ status: null, error: null })
    }
  }, [projectId, active])
  return state
}
