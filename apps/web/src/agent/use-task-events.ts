import { useEffect, useState } from 'react'
import { aiApi } from '../ai/ai-client'
import type { AgentEvent, AgentTask } from './task-format'

/** How often a running task's new events are asked for. */
export const EVENTS_POLL_MS = 700

/**
 * A task run and its events (`agent.events`): everything once, then only what came `after` the last event,
 * every EVENTS_POLL_MS while the run works (and once more after a change the caller made: `round`).
 */
export function useTaskEvents(runId: string, round: number): { run: AgentTask | null; events: AgentEvent[] } {
  const [state, setState] = useState<{ run: AgentTask | null; events: AgentEvent[] }>({
    run: null,
    events: [],
  })
  useEffect(() => {
    let current = true
    let timer: ReturnType<typeof setTimeout> | undefined
    let events: AgentEvent[] = []
    const poll = () => {
      aiApi.agent.events.query({ runId, after: events.at(-1)?.seq ?? 0 }).then(
        (page) => {
          if (!current) return
          events = [...events, ...page.events]
          setState({ run: page.run, events })
          if (page.run.state === 'running') timer = setTimeout(poll, EVENTS_POLL_MS)
        },
        () => {
          if (current) timer = setTimeout(poll, EVENTS_POLL_MS * 3)
        },
      )
    }
    poll()
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [runId, round])
  return state
}
