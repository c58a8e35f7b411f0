import { useCallback, useEffect, useState } from 'react'
import { toProblem } from '../api/errors'
import { aiApi } from '../ai/ai-client'
import { anyRunning, sortRuns, type AgentRun } from './run-format'
import type { AgentTask } from './task-format'

/** How often the list is asked again while a run is still running. */
export const RUNS_POLL_MS = 1500

export interface AgentRunsState {
  /** The project's runs, running first, then the newest; null until the first answer. */
  runs: AgentRun[] | null
  /** The project's task runs, newest first; null until the first answer. */
  tasks: AgentTask[] | null
  /** Why the list could not be read (e.g. the AI service does not answer); the last list stays shown. */
  error: string | null
  /** Asks again now (after starting a run, or when a highlight names a run the list does not know). */
  refresh: () => void
}

/**
 * The project's agent runs of both kinds (`agent.runs`): read once, and again every RUNS_POLL_MS while any run is running,
 * so states and timings move without a push channel. A failed read stops the polling until `refresh()`.
 */
export function useAgentRuns(projectId: string): AgentRunsState {
  const [runs, setRuns] = useState<AgentRun[] | null>(null)
  const [tasks, setTasks] = useState<AgentTask[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  useEffect(() => {
    let current = true
    let timer: ReturnType<typeof setTimeout> | undefined
    aiApi.agent.runs.query({ projectId }).then(
      (result) => {
        if (!current) return
        setRuns(sortRuns(result.runs))
        setTasks(result.tasks)
        setError(null)
        const working = result.tasks.some((t) => t.state === 'running')
        if (anyRunning(result.runs) || working) timer = setTimeout(() => setRound((r) => r + 1), RUNS_POLL_MS)
      },
      (e: unknown) => current && setError(runsProblem(e)),
    )
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [projectId, round])
  const refresh = useCallback(() => setRound((r) => r + 1), [])
  return { runs, tasks, error, refresh }
}

/** The service's own words, or which service is missing when no answer came (not "the server"). */
function runsProblem(e: unknown): string {
  const problem = toProblem(e)
  return problem.code === 'NETWORK' ? 'The AI service is not reachable.' : problem.message
}
