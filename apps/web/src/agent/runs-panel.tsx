import { AGENT_NAME } from '@mimiverse/shared'
import { useAgent } from './agent-context'
import { RunActions } from './run-actions'
import { runChanges, runTiming, stateLabel, stateTone, type AgentRun } from './run-format'

/**
 * The project's agent runs in the sidebar: state, instruction, file (click opens it), who asked, timings, and
 * the message of a failed or cancelled run. The list refreshes itself while a run is running.
 */
export function RunsPanel(props: { onOpen: (docName: string) => void }) {
  const { runs, error, refresh, canEdit } = useAgent()
  return (
    <section className="agent-runs" aria-label="Agent runs">
      <div className="sidebar-heading-row">
        <h3 className="sidebar-heading">Agent runs</h3>
        <span className="sidebar-actions">
          <button className="ghost icon" title="Refresh" aria-label="Refresh agent runs" onClick={refresh}>
            ↻
          </button>
        </span>
      </div>
      {error && (
        <p className="form-error small" role="alert" data-testid="agent-runs-error">
          {error}
        </p>
      )}
      {runs?.length === 0 && !error && (
        <p className="muted small">
          {canEdit ? `No runs yet. Select code and press Ctrl+K to ask ${AGENT_NAME}.` : 'No runs yet.'}
        </p>
      )}
      {runs && runs.length > 0 && (
        <ul className="agent-run-list" aria-live="polite">
          {runs.map((run) => (
            <RunRow key={run.runId} run={run} onOpen={props.onOpen} />
          ))}
        </ul>
      )}
    </section>
  )
}

function RunRow({ run, onOpen }: { run: AgentRun; onOpen: (docName: string) => void }) {
  const changes = runChanges(run)
  const showMessage = run.message && (run.state !== 'done' || run.review === 'pending')
  return (
    <li className="agent-run" data-run={run.runId} data-state={run.state}>
      <div className="agent-run-head">
        <span className={`run-state tone-${stateTone(run)}`}>{stateLabel(run)}</span>
        <button className="link small" title={`Open ${run.path}`} onClick={() => onOpen(run.docName)}>
          {run.path}
        </button>
      </div>
      <p className="agent-run-instruction" title={run.instruction}>
        {run.instruction}
      </p>
      {showMessage && (
        <p className={run.state === 'failed' ? 'form-error small' : 'muted small'}>{run.message}</p>
      )}
      <p className="muted small">
        {run.requester.name} · {runTiming(run, Date.now())}
        {changes && ` · ${changes}`}
      </p>
      <div className="agent-run-actions">
        <RunActions runId={run.runId} run={run} />
      </div>
    </li>
  )
}
