import { AGENT_NAME } from '@mimiverse/shared'
import { useAgent } from './agent-context'
import { RunActions } from './run-actions'
import { runChanges, runTiming, stateLabel, stateTone } from './run-format'

/** A run in the chat conversation: its progress while running, then its outcome with Accept / Undo. */
export function RunCard({ runId }: { runId: string }) {
  const { runs } = useAgent()
  const run = runs?.find((r) => r.runId === runId)
  if (!run) return <p className="muted small">{AGENT_NAME} has started editing…</p>
  const changes = runChanges(run)
  const file = run.path.split('/').pop() ?? run.path
  return (
    <div className="agent-run-card" data-state={run.state} data-testid="agent-run-card">
      <p className="agent-run-head">
        <span className={`run-state tone-${stateTone(run)}`}>{stateLabel(run)}</span>
        <span className="muted small">{file}</span>
      </p>
      {run.state === 'running' && (
        <p className="small">
          {AGENT_NAME} is editing {file}; the changes appear highlighted as they are made. You can keep
          typing.
        </p>
      )}
      {run.message && <p className={run.state === 'failed' ? 'form-error small' : 'small'}>{run.message}</p>}
      <p className="muted small">
        {runTiming(run, Date.now())}
        {changes && ` · ${changes}`}
      </p>
      <div className="agent-run-actions">
        <RunActions runId={run.runId} run={run} />
      </div>
    </div>
  )
}
