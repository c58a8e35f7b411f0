import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
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
  /** Starts a task run across the project; resolves with the run id, or rejects with a message for the user. */
  task: (instruction: string, files: string[]) => Promise<string>
  /** Accepts, undoes or cancels a run; a failure becomes the `notice`. */
  act: (action: RunAction, runId: string) => void
  /** An outcome with no better place to show (a failed Accept, the quick fix): the workspace's notice line. */
  notice: string | null
  setNotice: (message: string | null) => void
}

const AgentContext = createContext<Agent | null>(null)

export function useAgent(): Agent {
  const agent = useContext(AgentContext)
  if (!agent) throw new Error('useAgent outside <AgentProvider>')
  return agent
}

/** Provides the project's agent to the editor, the chat and the runs panel. */
export function AgentProvider(props: { projectId: string; canEdit: boolean; children: ReactNode }) {
  const { projectId, canEdit } = props
  const { runs, tasks, error, refresh } = useAgentRuns(projectId)
  const [notice, setNotice] = useState<string | null>(null)
  const edit = useCallback(
    async (input: AgentEditInput) => {
      try {
        const { runId } = await aiApi.agent.edit.mutate(input)
        return runId
      } catch (e: unknown) {
        throw new Error(`${AGENT_NAME} cannot edit: ${problemMessage(e)}`)
      } finally {
        refresh()
      }
    },
    [refresh],
  )
  const task = useCallback(
    async (instruction: string, files: string[]) => {
      try {
        const { runId } = await aiApi.agent.task.mutate({ projectId, instruction, files })
        return runId
      } catch (e: unknown) {
        throw new Error(`${AGENT_NAME} cannot start: ${problemMessage(e)}`)
      } finally {
        refresh()
      }
    },
    [projectId, refresh],
  )
  const act = useCallback(
    (action: RunAction, runId: string) => {
      aiApi.agent[action].mutate({ runId }).then(
        () => refresh(),
        (e: unknown) => {
          setNotice(`Could not ${action} the agent's run: ${problemMessage(e)}`)
          refresh()
        },
      )
    },
    [refresh],
  )
  const value = useMemo(
    () => ({ runs, tasks, error, refresh, canEdit, edit, task, act, notice, setNotice }),
    [runs, tasks, error, refresh, canEdit, edit, task, act, notice],
  )
  return <AgentContext.Provider value={value}>{props.children}</AgentContext.Provider>
}
