import type { AgentEvent, AgentTask } from '../src/contracts/agent'
import type { CommandRequest, CommandResult, CommandRunner } from '../src/services/agent/task/command-runner'
import type { AgentWorld } from './agent-world'
import type { TurnAnswer } from './doubles/ollama-double'

/**
 * Helpers for task-run tests: a scripted workspace terminal (tests only: the real one comes from the workspace
 * runner), tool calls in the double's format, and polling `agent.events` as the web app does.
 */
export interface FakeTerminal extends CommandRunner {
  calls: CommandRequest[]
  results: CommandResult[]
}

export function newFakeTerminal(): FakeTerminal {
  const t: FakeTerminal = {
    calls: [],
    results: [],
    run: (req) => {
      t.calls.push(req)
      return Promise.resolve(t.results.shift() ?? { exitCode: 0, output: '', timedOut: false })
    },
  }
  return t
}

export function calls(...list: [string, Record<string, unknown>][]): TurnAnswer['toolCalls'] {
  return list.map(([name, args]) => ({ name, arguments: args }))
}

/** The last tool result the model was sent. */
export function lastToolResult(messages: { role: string; content: string }[]): string {
  return messages.filter((m) => m.role === 'tool').at(-1)?.content ?? ''
}

/** Polls `agent.events` until the run ends; returns the run and all its events. */
export async function taskEnded(
  world: AgentWorld,
  runId: string,
  timeoutMs = 20_000,
): Promise<{ run: AgentTask; events: AgentEvent[] }> {
  const deadline = performance.now() + timeoutMs
  const events: AgentEvent[] = []
  for (;;) {
    const page = await world.ai.agent.events.query({ runId, after: events.at(-1)?.seq ?? 0 })
    events.push(...page.events)
    if (page.run.state !== 'running' && events.at(-1)?.type === 'end') return { run: page.run, events }
    if (performance.now() > deadline) throw new Error(`run ${runId} still running after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Polls until the run waits for a decision; returns that step's id. */
export async function approvalAsked(world: AgentWorld, runId: string, after = 0): Promise<string> {
  const deadline = performance.now() + 20_000
  for (;;) {
    const { events } = await world.ai.agent.events.query({ runId })
    const asked = events.filter((e) => e.type === 'approval' && e.seq > after)
    const decided = new Set(events.filter((e) => e.type === 'decision').map((e) => e.stepId))
    const open = asked.find((e) => !decided.has(e.stepId))
    if (open?.stepId) return open.stepId
    if (performance.now() > deadline) throw new Error('no approval asked')
    await new Promise((r) => setTimeout(r, 20))
  }
}
