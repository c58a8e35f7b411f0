import { useState } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import { problemMessage } from '../api/errors'
import { aiApi } from '../ai/ai-client'
import { useAgent } from './agent-context'
import { foldEvents, taskLabel, type TaskStep } from './task-format'
import { useTaskEvents } from './use-task-events'

/** What the agent asks to do, by the approval's kind (a tool of one of the project's MCP servers: `mcp`). */
const APPROVAL_VERB: Record<string, string> = { command: 'run', delete: 'delete', mcp: 'call' }

/**
 * A task run in the chat, the same for everyone in the project: the plan, each step (tool, arguments, short
 * result), the command waiting for an editor with Allow once / Always for this run / Deny, and when it is
 * done, its files with Accept / Undo each and for all. Reviewers watch; the buttons are for editors.
 */
export function TaskCard({ runId }: { runId: string }) {
  const agent = useAgent()
  const [round, setRound] = useState(0)
  const [problem, setProblem] = useState<string | null>(null)
  const { run, events } = useTaskEvents(runId, round)
  if (!run) return <p className="muted small">{AGENT_NAME} is starting…</p>
  const view = foldEvents(events)
  const call = (p: Promise<unknown>): void =>
    void p.then(
      () => {
        setProblem(null)
        setRound((r) => r + 1)
        agent.refresh()
      },
      (e: unknown) => setProblem(problemMessage(e)),
    )
  const pending = run.files.filter((f) => f.review === 'pending')
  return (
    <div className="agent-run-card" data-state={run.state} data-testid="agent-task-card">
      <p className="agent-run-head">
        <span className="run-state">{taskLabel(run)}</span>
        <span className="muted small">{run.instruction}</span>
      </p>
      {view.plan && <pre className="agent-plan small">{view.plan}</pre>}
      <ol className="agent-steps small">
        {view.items.map((item, i) =>
          item.type === 'say' ? <li key={i}>{item.text}</li> : <StepLine key={i} step={item.step} />,
        )}
      </ol>
      {view.waiting && agent.canEdit && (
        <div className="agent-approval" role="group" aria-label="Approve the agent's command">
          <p className="small">
            {AGENT_NAME} wants to {APPROVAL_VERB[view.waiting.approval?.kind ?? 'command'] ?? 'run'}{' '}
            <code>{view.waiting.approval?.text}</code>
          </p>
          {(['once', 'always', 'deny'] as const).map((decision) => (
            <button
              key={decision}
              className={decision === 'deny' ? 'small' : 'primary small'}
              onClick={() =>
                call(aiApi.agent.approve.mutate({ runId, stepId: view.waiting!.stepId, decision }))
              }
            >
              {decision === 'once' ? 'Allow once' : decision === 'always' ? 'Always for this run' : 'Deny'}
            </button>
          ))}
        </div>
      )}
      {view.waiting && !agent.canEdit && (
        <p className="muted small">Waiting for an editor to approve a step.</p>
      )}
      {run.message && run.state !== 'running' && <p className="small">{run.message}</p>}
      {agent.canEdit && run.state === 'running' && (
        <button className="small" onClick={() => call(aiApi.agent.cancel.mutate({ runId }))}>
          Stop
        </button>
      )}
      {run.state !== 'running' && run.files.length > 0 && (
        <ul className="agent-task-files small">
          {run.files.map((f) => (
            <li key={f.docName}>
              {f.path}{' '}
              <span className="muted">
                +{f.inserted} −{f.deleted} · {f.review}
              </span>
              {agent.canEdit && f.review === 'pending' && (
                <>
                  <button
                    className="ghost small"
                    onClick={() => call(aiApi.agent.accept.mutate({ runId, path: f.path }))}
                  >
                    Accept
                  </button>
                  <button
                    className="ghost small"
                    onClick={() => call(aiApi.agent.undo.mutate({ runId, path: f.path }))}
                  >
                    Undo
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {agent.canEdit && run.state !== 'running' && pending.length > 1 && (
        <div className="agent-run-actions">
          <button className="primary small" onClick={() => call(aiApi.agent.accept.mutate({ runId }))}>
            Accept all
          </button>
          <button className="small" onClick={() => call(aiApi.agent.undo.mutate({ runId }))}>
            Undo the whole run
          </button>
        </div>
      )}
      {problem && <p className="form-error small">{problem}</p>}
    </div>
  )
}

function StepLine({ step }: { step: TaskStep }) {
  const decision = step.approval?.decision
  return (
    <li data-testid="agent-step">
      <code>{step.tool}</code> <span className="muted">{step.args}</span>
      {decision && (
        <span className="muted">
          {' '}
          · {decision.decision === 'deny' ? 'denied' : 'allowed'} by {decision.by}
        </span>
      )}
      {step.result && (
        <div className={step.result.ok ? 'muted' : 'form-error'}>{step.result.summary.split('\n')[0]}</div>
      )}
    </li>
  )
}
