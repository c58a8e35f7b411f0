import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Peer } from '@mimiverse/collab/testing'
import { newAgentWorld, type AgentWorld } from '../test/agent-world'
import { connectMcp, newMcpToken, textOf } from '../test/mcp-client'

/**
 * `npm run bench:mcp`: an outside agent over `/mcp` (the SDK's client over real HTTP) against the embedded
 * composition in one process. 1. `edit_file` of a 20-line change in a 2,000-line file: from the request to the
 * change being in another client's document, p50/p99 over EDITS edits (target p50 < 50 ms). 2. `read_file` and
 * `search_code` (text mode) calls at RATE a second (default 500) from CLIENTS sessions for SECONDS, while a person
 * types TYPING_RATE keystrokes a second that another person watches: the calls a second sustained, their
 * latency, and keystroke latency (typed -> in the watcher's document) with and without the calls (target: p99
 * stays < 50 ms). Last line: one JSON object.
 */
const EDITS = Number(process.env.EDITS ?? 20)
const RATE = Number(process.env.RATE ?? 500)
const SECONDS = Number(process.env.SECONDS ?? 10)
const CLIENTS = Number(process.env.CLIENTS ?? 8)
const TYPING_RATE = Number(process.env.TYPING_RATE ?? 20)
/** Calls in flight at most: past it the bench stops issuing, so the rate shows what the node sustains. */
const MAX_IN_FLIGHT = 64
const FILE_LINES = 2_000
const CHANGE_LINES = 20

async function main() {
  const world = await newAgentWorld({ MCP_PER_MINUTE: '100000', AGENT_BATCH_MS: '10' })
  try {
    const token = await newMcpToken(world, { label: 'bench' })
    const editMs = await edits(world, await connectMcp(world, token))
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connectMcp(world, token)))
    const quiet = await typing(world, 'quiet', () => Promise.resolve(null))
    const loaded = await typing(world, 'loaded', (signal) => calls(world, clients, signal))
    await Promise.all(clients.map((c) => c.close()))
    const load = loaded.load
    const result = {
      bench: 'mcp',
      editToPeerMs: stats(editMs),
      editTargetP50Met: quantile(editMs, 0.5) < 50,
      calls: {
        targetPerSecond: RATE,
        perSecond: round(load.perSecond),
        failed: load.failed,
        firstError: load.firstError,
        latencyMs: stats(load.latencies),
      },
      keystrokeMs: { quiet: stats(quiet.latencies), loaded: stats(loaded.latencies) },
      keystrokeTargetP99Met: quantile(loaded.latencies, 0.99) < 50,
      loadAverage: (await import('node:os')).loadavg().map((l) => round(l, 2)),
    }
    console.log(
      `edit_file of ${CHANGE_LINES} lines in a ${FILE_LINES}-line file -> other client: p50 ${result.editToPeerMs.p50} ms, p99 ${result.editToPeerMs.p99} ms (${EDITS} edits)`,
    )
    console.log(
      `read/search calls: ${result.calls.perSecond}/s sustained (target ${RATE}/s, ${load.failed} failed), p50 ${result.calls.latencyMs.p50} ms, p99 ${result.calls.latencyMs.p99} ms`,
    )
    console.log(
      `keystroke -> other client: quiet p50 ${result.keystrokeMs.quiet.p50} / p99 ${result.keystrokeMs.quiet.p99} ms; under the calls p50 ${result.keystrokeMs.loaded.p50} / p99 ${result.keystrokeMs.loaded.p99} ms`,
    )
    console.log(JSON.stringify(result))
  } finally {
    await world.close()
  }
}

/** Each edit rewrites 20 unique lines of the 2,000; timed until the watcher has the last new line. */
async function edits(world: AgentWorld, client: Client): Promise<number[]> {
  const lines = Array.from({ length: FILE_LINES }, (_, i) => `export const value${i} = ${i}`)
  const path = 'bench/big.ts'
  const watcher = await watch(world, await world.file(path, `${lines.join('\n')}\n`))
  const out: number[] = []
  for (let k = 0; k < EDITS; k++) {
    const from = k * CHANGE_LINES * 4
    const oldText = lines.slice(from, from + CHANGE_LINES).join('\n')
    const newLines = lines.slice(from, from + CHANGE_LINES).map((l) => `${l} // edit ${k}`)
    const last = newLines.at(-1)!
    const started = performance.now()
    const seen = until(watcher, (t) => t.includes(last))
    const r = await client.callTool({
      name: 'edit_file',
      arguments: { path, edits: [{ oldText, newText: newLines.join('\n') }] },
    })
    if (r.isError) throw new Error(`edit_file failed: ${textOf(r)}`)
    out.push((await seen) - started)
  }
  watcher.provider.destroy()
  return out
}

/** `read_file` and `search_code` calls at RATE a second, round-robin over the clients, until `signal`. */
async function calls(world: AgentWorld, clients: Client[], signal: AbortSignal) {
  await world.file('bench/read.ts', Array.from({ length: 300 }, (_, i) => `const r${i} = ${i}`).join('\n'))
  const latencies: number[] = []
  let failed = 0
  let firstError: string | null = null
  let inFlight = 0
  let issued = 0
  const started = performance.now()
  const one = async (n: number) => {
    const client = clients[n % clients.length]!
    const t = performance.now()
    const r =
      n % 2 === 0
        ? await client.callTool({
            name: 'read_file',
            arguments: { path: 'bench/read.ts', offset: 1, limit: 50 },
          })
        : await client.callTool({ name: 'search_code', arguments: { query: `r${n % 300}`, mode: 'text' } })
    if (!r.isError) return void latencies.push(performance.now() - t)
    failed++
    firstError ??= textOf(r).slice(0, 200)
  }
  const pending = new Set<Promise<void>>()
  while (!signal.aborted) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE)
    while (issued < due && inFlight < MAX_IN_FLIGHT) {
      inFlight++
      const p = one(issued++)
        .catch((e: unknown) => {
          failed++
          firstError ??= String(e).slice(0, 200)
        })
        .finally(() => {
          inFlight--
          pending.delete(p)
        })
      pending.add(p)
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(pending)
  const seconds = (performance.now() - started) / 1000
  return { perSecond: latencies.length / seconds, failed, firstError, latencies }
}

/** A person types TYPING_RATE keystrokes a second for SECONDS while `load` runs; another watches. */
async function typing<T>(world: AgentWorld, name: string, load: (signal: AbortSignal) => Promise<T>) {
  const docName = await world.file(`bench/typing-${name}.ts`, '')
  const typist = world.peer(docName)
  await typist.synced()
  const watcher = await watch(world, docName)
  const sentAt: number[] = []
  const latencies: number[] = []
  watcher.text.observe(() => {
    const now = performance.now()
    while (latencies.length < watcher.text.length && latencies.length < sentAt.length) {
      latencies.push(now - sentAt[latencies.length]!)
    }
  })
  const stop = new AbortController()
  const running = load(stop.signal)
  const end = performance.now() + SECONDS * 1000
  while (performance.now() < end) {
    sentAt.push(performance.now())
    typist.text.insert(typist.text.length, 'x')
    await new Promise((r) => setTimeout(r, 1000 / TYPING_RATE))
  }
  stop.abort()
  const result = await running
  await until(watcher, (t) => t.length >= sentAt.length)
  typist.provider.destroy()
  watcher.provider.destroy()
  return { latencies, load: result }
}

async function watch(world: AgentWorld, docName: string): Promise<Peer> {
  const watcher = world.peer(docName)
  await watcher.synced()
  return watcher
}

/** Resolves with the time the watcher's text first satisfies `ok`. */
function until(peer: Peer, ok: (text: string) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (!ok(peer.text.toString())) return
      peer.text.unobserve(check)
      resolve(performance.now())
    }
    peer.text.observe(check)
    check()
  })
}

function stats(xs: number[]) {
  return { p50: round(quantile(xs, 0.5)), p99: round(quantile(xs, 0.99)), samples: xs.length }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits))

main().catch((e: unknown) => {
  process.stderr.write(`bench:mcp failed: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
