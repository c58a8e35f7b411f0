import { describe, expect, it } from 'vitest'
import type { ChatTurn } from '../../ollama'
import { runTask, type TaskDeps } from './task-run'
import type { ToolContext } from './tool-context'

/** A model that always lists the files, spending `tokens` a turn; a context with only what list_files uses. */
function deps(tokens: number, abort = new AbortController()) {
  const events: string[] = []
  const turn: ChatTurn = {
    content: '',
    toolCalls: [{ name: 'list_files', arguments: {} }],
    promptTokens: tokens,
    outputTokens: 0,
  }
  const ctx = {
    projectId: 'p',
    requester: { id: 'u', name: 'Ann' },
    signal: abort.signal,
    workspace: { listPaths: () => Promise.resolve(['a.ts']) },
    external: <T>(p: Promise<T>) => p,
    externalMs: () => 0,
  } as unknown as ToolContext
  const d: TaskDeps = {
    model: { turn: () => Promise.resolve(turn) },
    ctx,
    emit: (e) => events.push(e.type),
    progress: () => {},
  }
  return { d, events, abort }
}

describe('runTask', () => {
  it('stops when the token budget is spent', async () => {
    const { d, events } = deps(400)
    const out = await runTask({ instruction: 'x', files: [], maxSteps: 100, maxTokens: 1000 }, d)
    expect(out).toMatchObject({ state: 'failed', steps: 3, tokens: 1200 })
    expect(out.message).toMatch(/token budget \(1000\)/)
    expect(events.filter((t) => t === 'step')).toHaveLength(3)
  })

  it('stops at once when cancelled between two tool calls', async () => {
    const { d, abort } = deps(1)
    d.emit = (e) => {
      if (e.type === 'result') abort.abort()
    }
    const out = await runTask({ instruction: 'x', files: [], maxSteps: 100, maxTokens: 1000 }, d)
    expect(out).toMatchObject({ state: 'cancelled', steps: 1 })
  })
})
