import { block, newAgentWorld } from '../test/agent-world'
import { toolRoundTrips } from './agent-tools'
import { typingBeforeLocate } from './agent-typing'

/**
 * `npm run bench:agent`: the agent typing into a document that another client watches, all in one process as
 * in the embedded default (collab server, AI service, the Ollama double scripting the model token by token, a
 * real provider watching). Measures, for every piece (token) of new text the model streams, the time from the
 * model writing it to the text being in the watching client's document (p50/p99; target p50 < 50 ms), and the
 * agent's own cost per applied batch (from its `mimi_ai_agent_batch_seconds` histogram). Then the case "someone
 * types inside the quoted lines before the agent located them" (agent-typing.ts): its success rate over
 * TYPING_RUNS runs with random typing (target 100%). Then task runs (agent-tools.ts): our own time per tool
 * round trip for read, search and edit (target p50 < 10 ms). Last line: one JSON object. Options: RUNS (default
 * 20), TOKEN_MS (pace of the model, default 10), TOKEN_CHARS (default 4), TYPING_RUNS (default 100), TOOL_RUNS
 * (default 5) of TOOL_ROUNDS (default 10) read+search+edit rounds each.
 */
const RUNS = Number(process.env.RUNS ?? 20)
const TYPING_RUNS = Number(process.env.TYPING_RUNS ?? 100)
const TOKEN_MS = Number(process.env.TOKEN_MS ?? 10)
const TOKEN_CHARS = Number(process.env.TOKEN_CHARS ?? 4)
const TOOL_RUNS = Number(process.env.TOOL_RUNS ?? 5)
const TOOL_ROUNDS = Number(process.env.TOOL_ROUNDS ?? 10)
const SOURCE =
  'function total(items) {\n  let sum = 0\n  for (const i of items) sum += i.price\n  return sum\n}\n'

async function main() {
  const toolTimes = new Map<string, number[]>()
  const world = await newAgentWorld(
    { AGENT_BATCH_MS: '20', AGENT_PER_MINUTE: '1000', AGENT_MAX_STEPS: String(TOOL_ROUNDS + 5) },
    { onAgentToolTime: (tool, ms) => toolTimes.set(tool, [...(toolTimes.get(tool) ?? []), ms]) },
  )
  const latencies: number[] = []
  let chars = 0
  let totalMs = 0
  try {
    for (let run = 0; run < RUNS; run++) {
      const docName = await world.file(`bench/f${run}.ts`, SOURCE)
      const watcher = world.peer(docName)
      await watcher.synced()
      // Brand-new lines: each piece can be typed as soon as it arrives (unchanged lines wait to be compared).
      const added = Array.from({ length: 6 }, (_, k) => `  // run ${run}: note ${k} about the totals\n`).join(
        '',
      )
      const newText = `function total(items) {\n${added}  let sum = 0`
      world.answer(block('function total(items) {\n  let sum = 0', newText), TOKEN_CHARS)
      world.ollama.chunkDelayMs = TOKEN_MS
      const prefix = world.ollama.chunks.join('').indexOf('=======\n') + '=======\n'.length
      // Cumulative new text after each piece that lies inside `added`.
      const targets: { piece: number; text: string }[] = []
      let streamed = 0
      world.ollama.chunks.forEach((c, i) => {
        const before = streamed
        streamed += c.length
        const start = Math.max(0, before - prefix)
        const end = streamed - prefix
        const from = 'function total(items) {\n'.length
        if (end > from && start < from + added.length) {
          targets.push({ piece: i, text: newText.slice(from, Math.min(end, from + added.length)) })
        }
      })
      const seenAt: (number | undefined)[] = []
      const check = () => {
        const now = performance.now()
        const text = watcher.text.toString()
        targets.forEach((t, k) => {
          if (seenAt[k] === undefined && text.includes(t.text)) seenAt[k] = now
        })
      }
      watcher.text.observe(check)
      const started = performance.now()
      const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'document the function' })
      const finished = await world.finished(runId, 120_000)
      if (finished.state !== 'done')
        throw new Error(`run ${runId} ended ${finished.state}: ${finished.message}`)
      totalMs += performance.now() - started
      watcher.text.unobserve(check)
      targets.forEach((t, k) => {
        const sent = world.ollama.sentAt[t.piece]
        const seen = seenAt[k]
        if (sent === undefined || seen === undefined)
          throw new Error(`piece ${t.piece} never reached the watcher`)
        latencies.push(seen - sent)
      })
      chars += added.length
      watcher.provider.destroy()
      watcher.socket.destroy()
      process.stderr.write(`run ${run + 1}/${RUNS}\n`)
    }
    const batch = await batchStats(world.server.url)
    const typing = await typingBeforeLocate(world, {
      runs: TYPING_RUNS,
      tokenMs: TOKEN_MS,
      tokenChars: TOKEN_CHARS,
    })
    const tools = await toolRoundTrips(world, toolTimes, { runs: TOOL_RUNS, rounds: TOOL_ROUNDS })
    const toolP50s = ['read_file', 'search_code', 'edit_file'].map((t) => tools[t]?.p50 ?? NaN)
    const result = {
      bench: 'agent',
      runs: RUNS,
      tokenMs: TOKEN_MS,
      tokenChars: TOKEN_CHARS,
      samples: latencies.length,
      tokenToPeerMs: {
        p50: round(quantile(latencies, 0.5)),
        p99: round(quantile(latencies, 0.99)),
        max: round(Math.max(...latencies)),
      },
      batch: { count: batch.count, meanMs: round(batch.meanMs, 3) },
      meanRunMs: round(totalMs / RUNS),
      charsTyped: chars,
      targetP50Met: quantile(latencies, 0.5) < 50,
      typingBeforeLocate: { ...typing, targetMet: typing.successRate === 1 },
      toolRoundTripMs: tools,
      toolTargetP50Met: toolP50s.every((p) => p < 10),
    }
    console.log(
      `agent typing: token -> other client p50 ${result.tokenToPeerMs.p50} ms, p99 ${result.tokenToPeerMs.p99} ms (${latencies.length} tokens, model pace ${TOKEN_MS} ms/token)`,
    )
    console.log(`agent batches: ${batch.count}, mean ${result.batch.meanMs} ms each to apply`)
    console.log(
      `typing inside the quoted lines before the agent located them: ${typing.succeeded}/${typing.runs} runs succeeded (${round(typing.successRate * 100)}%, target 100%); ${typing.keystrokes} keystrokes, typing before the quote had streamed in ${typing.typedBeforeQuote} runs`,
    )
    for (const f of typing.failures) console.log(`  ${f}`)
    for (const [tool, t] of Object.entries(tools)) {
      console.log(
        `tool round trip (our own time) ${tool}: p50 ${t.p50} ms, p99 ${t.p99} ms (${t.samples} calls)`,
      )
    }
    console.log(JSON.stringify(result))
  } finally {
    await world.close()
  }
}

async function batchStats(url: string): Promise<{ count: number; meanMs: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  const count = value('mimi_ai_agent_batch_seconds_count')
  return { count, meanMs: (value('mimi_ai_agent_batch_seconds_sum') / count) * 1000 }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits))

main().catch((e: unknown) => {
  process.stderr.write(`bench:agent failed: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
