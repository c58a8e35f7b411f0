import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react'
import { problemMessage } from '../api/errors'
import { aiApi } from '../ai/ai-client'
import type { AgentEditInput } from './edit-request'
import { useAgentRuns, type AgentRunsState } from './use-agent-runs'

export type RunAction = 'accept' | 'undo' | 'cancel'

/** Everything the IDE's agent entry points share: who may start edits, the runs, and the calls. */
export interface Agent extends AgentRunsState {
  /** False for reviewers: every entry point is hidden (the service refuses them anyway). */
  canEdit: boolean
  /** Starts an edit; resolves with the run id, or rejects with an Error whose message is for the user. */
  edit: (input: AgentEditInput) => Promise<string>
  /** Accepts, undoes or cancels a run; a failure is reported through `onProblem`. */
  act: (action: RunAction, runId: string) => void
}

const AgentContext = createContext<Agent | null>(null)

export function useAgent(): Agent {
  const agent = useContext(AgentContext)
  if (!agent) throw new Error('useAgent outside <AgentProvider>')
  return agent
}

/** Provides the project's agent to the editor, the chat and the runs panel. */
export function AgentProvider(props: {
  projectId: string
  canEdit: boolean
  /** Shows a failure that has no better place (the workspace's notice line). */
  onProblem: (message: string) => void
  children: ReactNode
}) {
  const { projectId, canEdit, onProblem } = props
  const { runs, error, refresh } = useAgentRuns(projectId)
  const edit = useCallback(
    async (input: AgentEditInput) => {
      try {
        const { runId } = await aiApi.agent.edit.mutate(input)
        return runId
      } catch (e: unknown) {
        throw new Error(`Mimi cannot edit: ${problemMessage(e)}`)
      } finally {
        refresh()
      }
    },
    [refresh],
  )
  const act = useCallback(
    (action: RunAction, runId: string) => {
      aiApi.agent[action].mutate({ runId }).then(
        () => refresh(),
        (e: unknown) => {
          onProblem(`Could not ${action} the agent's run: ${problemMessage(e)}`)
          refresh()
        },
      )
    },
    [refresh, onProblem],
  )
  const value = useMemo(
    () => ({ runs, error, refresh, canEdit, edit, act }),
    [runs, error, refresh, canEdit, edit, act],
  )
  return <AgentContext.Provider value={value}>{props.children}</AgentContext.Provider>
}
