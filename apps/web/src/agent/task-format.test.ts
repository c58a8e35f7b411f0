import { describe, expect, it } from 'vitest'
import { foldEvents, taskLabel, type AgentEvent } from './task-format'

let seq = 0
const ev = (type: AgentEvent['type'], stepId: string | null, data: Record<string, unknown>): AgentEvent => ({
  seq: ++seq,
  type,
  stepId,
  data,
  at: '2026-01-01T00:00:00.000Z',
})

describe('task events', () => {
  it('folds the plan, steps with their results, and the command waiting for a decision', () => {
    const events = [
      ev('plan', null, { text: '1. read\n2. test' }),
      ev('step', 's1', { tool: 'read_file', args: '{"path":"a.ts"}' }),
      ev('result', 's1', { ok: true, summary: 'a.ts: …' }),
      ev('step', 's2', { tool: 'run_command', args: '{"command":"npm test"}' }),
      ev('approval', 's2', { kind: 'command', text: 'npm test' }),
    ]
    const view = foldEvents(events)
    expect(view.plan).toBe('1. read\n2. test')
    expect(view.items).toHaveLength(2)
    expect(view.waiting).toMatchObject({ stepId: 's2', approval: { text: 'npm test', decision: null } })
    const decided = foldEvents([...events, ev('decision', 's2', { decision: 'deny', by: 'Ann' })])
    expect(decided.waiting).toBeNull()
    expect(decided.items[1]).toMatchObject({
      step: { approval: { decision: { decision: 'deny', by: 'Ann' } } },
    })
  })

  it('has nothing waiting once the run ended, and labels states', () => {
    const view = foldEvents([
      ev('step', 's1', { tool: 'run_command', args: '' }),
      ev('approval', 's1', { kind: 'command', text: 'make' }),
      ev('end', null, { state: 'cancelled', message: 'Cancelled.' }),
    ])
    expect(view.waiting).toBeNull()
    expect(view.end).toEqual({ state: 'cancelled', message: 'Cancelled.' })
    expect(taskLabel({ state: 'done', review: 'partial' })).toBe('Partly reviewed')
    expect(taskLabel({ state: 'interrupted', review: 'pending' })).toBe('Interrupted')
  })
})
