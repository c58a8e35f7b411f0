import { describe, expect, it } from 'vitest'
import { CompletionGate, completionProblem, type CompletionReadiness } from './completion-gate'

/** A gate whose `ai.models` answers are scripted and whose timers run by hand. */
function newGate(answers: (CompletionReadiness | Error)[]) {
  const asked: number[] = []
  const timers: { fn: () => void; ms: number }[] = []
  const gate = new CompletionGate({
    check: () => {
      asked.push(asked.length)
      const a = answers.shift() ?? new Error('no more answers')
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a)
    },
    schedule: (fn, ms) => {
      const t = { fn, ms }
      timers.push(t)
      return () => timers.splice(timers.indexOf(t), 1)
    },
    recheckMs: 10_000,
  })
  const changes: string[] = []
  gate.subscribe(() => changes.push(gate.current.state))
  const settle = () => new Promise<void>((r) => setImmediate(r))
  const fire = async () => {
    timers.shift()!.fn()
    await settle()
  }
  return { gate, asked, timers, changes, settle, fire }
}

describe('CompletionGate', () => {
  it('sends nothing until the model is ready, rechecks only the status meanwhile, then opens', async () => {
    const t = newGate([
      { ready: false, hint: 'ollama pull qwen' },
      { ready: false, hint: 'ollama pull qwen' },
      { ready: true },
    ])
    expect(t.gate.allowed).toBe(false)
    t.gate.start()
    await t.settle()
    expect(t.gate.current).toEqual({ state: 'no-model', hint: 'ollama pull qwen' })
    expect(t.gate.allowed).toBe(false)
    // One recheck is pending, not one per keystroke; the same answer changes nothing (no second notice).
    expect(t.timers).toHaveLength(1)
    expect(t.timers[0]!.ms).toBe(10_000)
    await t.fire()
    expect(t.changes).toEqual(['no-model'])
    await t.fire()
    expect(t.gate.allowed).toBe(true)
    expect(t.changes).toEqual(['no-model', 'ready'])
    expect(t.timers).toHaveLength(0)
    expect(t.asked).toHaveLength(3)
  })

  it('closes on a 503 from a completion, ignores other failures, and treats an unreachable service as no model', async () => {
    const t = newGate([{ ready: true }, new Error('fetch failed'), { ready: true }])
    t.gate.start()
    await t.settle()
    expect(t.gate.allowed).toBe(true)
    t.gate.failed('TOO_MANY_REQUESTS')
    t.gate.failed('NETWORK')
    expect(t.gate.allowed).toBe(true)
    t.gate.failed('SERVICE_UNAVAILABLE')
    expect(t.gate.allowed).toBe(false)
    await t.settle()
    expect(t.gate.current).toEqual({ state: 'no-model', hint: 'the AI service is not reachable' })
    // A second 503 from a request already in flight does not ask again.
    t.gate.failed('SERVICE_UNAVAILABLE')
    expect(t.asked).toHaveLength(2)
    await t.fire()
    expect(t.gate.allowed).toBe(true)
  })

  it('stops rechecking once disposed', async () => {
    const t = newGate([{ ready: false }])
    t.gate.start()
    await t.settle()
    expect(t.timers).toHaveLength(1)
    t.gate.dispose()
    expect(t.timers).toHaveLength(0)
  })
})

describe('completionProblem', () => {
  it('explains "AI: no model" with the server hint, and says nothing while ready or checking', () => {
    expect(completionProblem({ state: 'no-model', hint: 'ollama pull qwen' })).toBe(
      'Inline completion is off: no completion model (ollama pull qwen)',
    )
    expect(completionProblem({ state: 'checking', hint: null })).toBeNull()
    expect(completionProblem({ state: 'ready', hint: null })).toBeNull()
    expect(completionProblem(null)).toBeNull()
  })
})
