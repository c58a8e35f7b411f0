import { useAgent, type RunAction } from './agent-context'
import { runActions, type AgentRun } from './run-format'

const LABEL: Record<RunAction, { text: string; title: string; className: string }> = {
  accept: { text: 'Accept', title: "Keep the agent's changes", className: 'primary small' },
  undo: { text: 'Undo', title: "Take the agent's changes out again", className: 'small' },
  cancel: { text: 'Cancel', title: 'Stop the agent', className: 'small' },
}

/** Accept / Undo for a finished run, Cancel for a running one; nothing for reviewers. */
export function RunActions(props: { runId: string; run: Pick<AgentRun, 'state' | 'review'> }) {
  const agent = useAgent()
  if (!agent.canEdit) return null
  return runActions(props.run).map((action) => {
    const l = LABEL[action]
    return (
      <button
        key={action}
        className={l.className}
        title={l.title}
        onClick={() => agent.act(action, props.runId)}
      >
        {l.text}
      </button>
    )
  })
}
