import { useCallback, useEffect, useRef, useState } from 'react'
import { problemMessage, toProblem } from '../api/errors'
import { runnerApi, type GitBranch, type GitCommit, type GitStatus } from './git-client'

/** How often an open panel reads status (log and branches when HEAD moved): everyone's panel follows. */
export const GIT_POLL_MS = 2000
/** Log and branches are read again at least every this many polls (a branch created elsewhere). */
const LIST_EVERY = 5

export interface GitState {
  status: GitStatus | null
  log: GitCommit[]
  branches: GitBranch[]
  /** The workspace has no repository (the panel offers to initialize one). */
  noRepository: boolean
  error: string | null
}

const EMPTY: GitState = { status: null, log: [], branches: [], noRepository: false, error: null }

/** The project's git state, read while `open` (every GIT_POLL_MS and after each action); `run` does an action. */
export function useGit(projectId: string, open: boolean) {
  const [state, setState] = useState<GitState>(EMPTY)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  // Reads are numbered; an answer older than one already shown is dropped. A poll is skipped while one is in
  // flight: on a busy server a read can take longer than the interval, and must still land.
  const started = useRef(0)
  const shown = useRef(0)
  const polling = useRef(false)

  const lastLists = useRef<{ key: string; polls: number; log: GitCommit[]; branches: GitBranch[] }>({
    key: '',
    polls: 0,
    log: [],
    branches: [],
  })

  const refresh = useCallback(
    async (force = false) => {
      const mine = ++started.current
      const show = (next: GitState) => {
        if (mine < shown.current) return
        shown.current = mine
        setState(next)
      }
      try {
        const status = await runnerApi.git.status.query({ projectId })
        // Log and branches change only with HEAD (a commit, a switch, a merge) or a branch created elsewhere:
        // read again when HEAD moved, after an action, and every LIST_EVERY polls.
        const key = `${status.branch} ${status.head}`
        const lists = lastLists.current
        if (force || key !== lists.key || ++lists.polls >= LIST_EVERY) {
          const [log, branches] = await Promise.all([
            runnerApi.git.log.query({ projectId, limit: 50 }),
            runnerApi.git.branches.query({ projectId }),
          ])
          lastLists.current = { key, polls: 0, log, branches }
        }
        const { log, branches } = lastLists.current
        show({ status, log, branches, noRepository: false, error: null })
      } catch (e: unknown) {
        const problem = toProblem(e)
        show({ ...EMPTY, noRepository: problem.code === 'NOT_FOUND', error: problem.message })
      }
    },
    [projectId],
  )

  useEffect(() => {
    if (!open) return
    const poll = () => {
      if (polling.current) return
      polling.current = true
      void refresh().finally(() => (polling.current = false))
    }
    poll()
    const timer = setInterval(poll, GIT_POLL_MS)
    return () => clearInterval(timer)
  }, [open, refresh])

  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true)
      setActionError(null)
      try {
        await action()
        return true
      } catch (e: unknown) {
        setActionError(problemMessage(e))
        return false
      } finally {
        setBusy(false)
        await refresh(true)
      }
    },
    [refresh],
  )

  return { state, busy, actionError, run, refresh }
}
