import { calls, taskEnded } from '../test/agent-task-world'
import type { AgentWorld } from '../test/agent-world'

/**
 * The bench case "tool round trips of a task run": a scripted model reads a file, searches the code and edits
 * the file, again and again, in several task runs, while the run records our own time per tool call (from the
 * parsed call to the result ready for the model; the model's time, approvals and commands excluded; the
 * world's `onAgentToolTime` hook). Target: p50 < 10 ms for read, search and edit.
 */
const SOURCE = Array.from(
  { length: 40 },
  (_, i) => `export const line${i} = ${i} // the totals of line ${i}`,
).join('\n')

export async function toolRoundTrips(
  world: AgentWorld,
  times: Map<string, number[]>,
  opts: { runs: number; rounds: number },
): Promise<Record<string, { samples: number; p50: number; p99: number }>> {
  times.clear()
  for (let i = 0; i < opts.runs; i++) {
    const path = `tools${i}/totals.ts`
    await world.file(path, `${SOURCE}\n`)
    world.ollama.turns = Array.from({ length: opts.rounds }, (_, k) => ({
      toolCalls: calls(
        ['read_file', { path }],
        ['search_code', { query: `totals of line ${k}` }],
        ['edit_file', { path, edits: [{ old_text: `line${k} = ${k} `, new_text: `line${k} = ${k * 2} ` }] }],
      ),
    }))
    world.ollama.turns.push({ content: 'Done.' })
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'bench' })
    const { run } = await taskEnded(world, runId, 120_000)
    if (run.state !== 'done') throw new Error(`tool run ended ${run.state}: ${run.message}`)
    process.stderr.write(`tool run ${i + 1}/${opts.runs}\n`)
  }
  const out: Record<string, { samples: number; p50: number; p99: number }> = {}
  for (const [tool, ms] of times) {
    const s = [...ms].sort((a, b) => a - b)
    const q = (p: number) => Number((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN).toFixed(2))
    out[tool] = { samples: s.length, p50: q(0.5), p99: q(0.99) }
  }
  return out
}
