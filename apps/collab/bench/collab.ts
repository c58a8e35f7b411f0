import { Cleanup } from './cleanup'
import { withCpu } from './cpu-time'
import { checkDurability } from './durability'
import { measureEchoFloor } from './echo-floor'
import { readMemory } from './memory'
import { parseOptions, type BenchOptions } from './options'
import { formatReport, type BenchResult } from './report'
import { startServerProcess, type ServerProcess } from './server-process'
import { scrapeStoreMetrics, storeMetricsSince } from './store-metrics'
import { measureThroughput } from './throughput'
import { measureTyping } from './typing'
import { assertStayedConnected, connectClients, createWorkspace, type BenchClient } from './workspace'

/**
 * `npm run bench:collab`: N clients on M documents type through a real server process with durability on
 * (embedded PGlite on disk). Prints keystroke latency (p50/p99) next to a bare WebSocket echo floor, the
 * acknowledged updates per second under saturation, server memory per open document, and as the last line
 * one JSON object. Exits non-zero if anything fails, including the durability check.
 *
 * Phases: echo floor (before the server starts, so the two never compete) -> server and workspace ->
 * connect -> human-speed typing -> saturation -> read every document back from the database.
 */
const WARMUP_MS = 1000

async function run(o: BenchOptions, cleanup: Cleanup): Promise<BenchResult> {
  progress(`echo floor: ${o.clients} sockets x ${o.rate}/s for ${o.echoSeconds} s`)
  const echo = await measureEchoFloor({ ...o, seconds: o.echoSeconds, warmupMs: WARMUP_MS }, cleanup)
  const server = await startServerProcess(cleanup, o.serverNodeArgs.split(' ').filter(Boolean))
  progress(`server ${server.url} (pid ${server.pid}, data in ${server.dataDir})`)
  const { workspace, users } = await createWorkspace(server.url, { documents: o.documents, users: o.clients })
  const before = await readMemory(server)
  const clients = await connectClients({ baseUrl: server.url, workspace, users, count: o.clients })
  cleanup.add('disconnect the clients', () => clients.forEach((c) => c.peer.destroy()))
  const open = await readMemory(server)
  const measured = await runLoad(server, clients, o)
  const durability = await checkDurability(workspace, clients)
  assertStayedConnected(clients)
  return {
    ...measured,
    options: o,
    echo,
    durability,
    memory: { before, open, afterTyping: measured.afterTyping },
  }
}

/** The two load phases, each bracketed by main-thread CPU readings and by the server's store metrics. */
async function runLoad(server: ServerProcess, clients: BenchClient[], o: BenchOptions) {
  progress(
    `typing: ${o.clients} clients on ${o.documents} documents, ${o.rate} keystrokes/s each for ${o.seconds} s`,
  )
  const store0 = await scrapeStoreMetrics(server.url)
  const [typing, typingCpu] = await withCpu(server.pid, () =>
    measureTyping(clients, { ...o, warmupMs: WARMUP_MS }),
  )
  const store1 = await scrapeStoreMetrics(server.url)
  const afterTyping = await readMemory(server)
  progress(`saturation: ${o.inFlight} updates in flight per client for ${o.throughputSeconds} s`)
  const [throughput, throughputCpu] = await withCpu(server.pid, () =>
    measureThroughput(clients, { seconds: o.throughputSeconds, inFlight: o.inFlight }),
  )
  const store2 = await scrapeStoreMetrics(server.url)
  const store = store0 &&
    store1 &&
    store2 && { typing: storeMetricsSince(store0, store1), throughput: storeMetricsSince(store1, store2) }
  return { typing, throughput, afterTyping, store, cpu: { typing: typingCpu, throughput: throughputCpu } }
}

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

async function main(): Promise<number> {
  const options = parseOptions()
  const cleanup = new Cleanup()
  // Ctrl-C or a kill still stops the server and removes its data directory.
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)))
  process.once('SIGTERM', () => void cleanup.run().then(() => process.exit(143)))
  try {
    const result = await run(options, cleanup)
    await cleanup.run()
    process.stdout.write(`${formatReport(result).join('\n')}\n`)
    return result.durability.mismatches.length > 0 ? 1 : 0
  } finally {
    await cleanup.run()
  }
}

main()
  .then((code) => process.exit(process.exitCode ?? code))
  .catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  })
