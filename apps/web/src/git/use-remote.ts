import { useCallback, useEffect, useState } from 'react'
import { problemMessage } from '../api/errors'
import { runnerApi, type GitRemote } from './git-client'

/** How often an open panel reads the remote: its URL, and the phase of a fetch, pull or push under way. */
const REMOTE_POLL_MS = 1000

/**
 * The project's remote as the server tells it (never its password or token), read every REMOTE_POLL_MS while
 * `open`: a fetch, pull or push started by anyone shows its progress and then its result in everyone's panel.
 */
export function useRemote(projectId: string, open: boolean) {
  const [remote, setRemote] = useState<GitRemote | null>(null)
  const [error, setError] = useState<string | null>(null)

  const read = useCallback(async () => {
    try {
      setRemote(await runnerApi.git.remote.query({ projectId }))
      setError(null)
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }, [projectId])

  useEffect(() => {
    if (!open) return
    let reading = false
    const poll = () => {
      if (reading) return
      reading = true
      void read().finally(() => (reading = false))
    }
    poll()
    const timer = setInterval(poll, REMOTE_POLL_MS)
    return () => clearInterval(timer)
  }, [open, read])

  return { remote, error, read }
}
