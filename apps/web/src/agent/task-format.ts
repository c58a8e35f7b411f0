import type { AiOutputs } from '../ai/ai-client'

/** How the chat shows a task run: its events folded into a plan, steps and questions. Pure, unit-tested. */
export type AgentTask = AiOutputs['agent']['events']['run']
export type AgentEvent = AiOutputs['agent']['events']['events'][number]

export interface TaskStep {
  stepId: string
  tool: string
  args: string
  /** Short result, once the tool answered. */
  result: { ok: boolean; summary: string } | null
  /** A command or deletion waiting for an editor, or how it was decided. */
  approval: { kind: string; text: string; decision: { decision: string; by: string } | null } | null
}

export interface TaskView {
  plan: string | null
  /** What the model said and did, in order. */
  items: ({ type: 'say'; text: string } | { type: 'step'; step: TaskStep })[]
  /** The step waiting for a decision, if any. */
  waiting: TaskStep | null
  end: { state: string; message: string } | null
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '')

export function foldEvents(events: AgentEvent[]): TaskView {
  const view: TaskView = { plan: null, items: [], waiting: null, end: null }
  const steps = new Map<string, TaskStep>()
  for (const e of events) {
    const step = e.stepId ? steps.get(e.stepId) : undefined
    switch (e.type) {
      case 'plan':
        view.plan = text(e.data.text)
        break
      case 'say':
        view.items.push({ type: 'say', text: text(e.data.text) })
        break
      case 'step': {
        const s: TaskStep = {
          stepId: e.stepId ?? '',
          tool: text(e.data.tool),
          args: text(e.data.args),
          result: null,
          approval: null,
        }
        steps.set(s.stepId, s)
        view.items.push({ type: 'step', step: s })
        break
      }
      case 'result':
        if (step) step.result = { ok: e.data.ok === true, summary: text(e.data.summary) }
        break
      case 'approval':
        if (step) step.approval = { kind: text(e.data.kind), text: text(e.data.text), decision: null }
        break
      case 'decision':
        if (step?.approval) step.approval.decision = { decision: text(e.data.decision), by: text(e.data.by) }
        break
      case 'end':
        view.end = { state: text(e.data.state), message: text(e.data.message) }
        break
    }
  }
  const open = [...steps.values()].find((s) => s.approval && !s.approval.decision && !s.result)
  view.waiting = view.end ? null : (open ?? null)
  return view
}

/** The task's state in a word or two, review included. */
export function taskLabel(run: Pick<AgentTask, 'state' | 'review'>): string {
  if (run.state === 'running') return 'Working'
  if (run.state === 'interrupted') return 'Interrupted'
  if (run.state !== 'done') return run.state === 'failed' ? 'Stopped' : 'Cancelled'
  return run.review === 'pending'
    ? 'Review pending'
    : run.review === 'partial'
      ? 'Partly reviewed'
      : run.review === 'accepted'
        ? 'Accepted'
        : 'Undone'
}
