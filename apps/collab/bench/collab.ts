import { Cleanup } from './cleanup'
import { checkDurability } from './durability'
import { measureEchoFloor } from './echo-floor'
import { parseOptions, type BenchOptions } from './options'
import { formatReport, type BenchResult } from './report'
import { startServerProcess } from './server-process'
import { measureThroughput } from './throughput'
import { measureTyping } from './typing'
import { connectClients, createWorkspace } from './workspace'

/**
 * `npm run bench:collab`: N clients on M documents type through a real server process with durability on
 * (embedded PGlite on disk). Prints keystroke latency (p50/p99) next to a bare WebSocket echo floor, the
 * acknowledged updates per second under saturation, server memory per open document, and as the last line
 * one JSON object. Exits non-zero if anything fails, including the durability check.
 *
 * Phases: echo floor (before the server starts, on a quiet machine) -> server and workspace -> connect ->
 * human-speed typing -> saturation -> read every document back from the database.
 */
const WARMUP_MS = 1000

async function run(o: BenchOptions, cleanup: Cleanup): Promise<BenchResult> {
  progress(`echo floor: ${o.clients} sockets x ${o.rate}/s for ${o.echoSeconds} s`)
  const echo = await measureEchoFloor({ ...o, seconds: o.echoSeconds, warmupMs: WARMUP_MS }, cleanup)
  const server = await startServerProcess(cleanup)
  progress(`server ${server.url} (pid ${server.pid}, data in ${server.dataDir})`)
  const { workspace, users } = await createWorkspace(server.url, { documents: o.documents, users: o.clients })
  const before = await server.rssKiB()
  const clients = await connectClients({ baseUrl: server.url, workspace, users, count: o.clients })
  cleanup.add('disconnect the clients', () => clients.forEach((c) => c.peer.destroy()))
  const open = await server.rssKiB()
  progress(
    `typing: ${o.clients} clients on ${o.documents} documents, ${o.rate} keystrokes/s each for ${o.seconds} s`,
  )
  const typing = await measureTyping(clients, { ...o, warmupMs: WARMUP_MS })
  const afterTyping = await server.rssKiB()
  progress(`saturation: ${o.inFlight} updates in flight per client for ${o.throughputSeconds} s`)
  const throughput = await measureThroughput(clients, { seconds: o.throughputSeconds, inFlight: o.inFlight })
  const durability = await checkDurability(workspace, clients)
  return { options: o, echo, typing, throughput, durability, memory: { before, open, afterTyping } }
}

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

async function main(): Promise<number> {
  const options = parseOptions()
  const cleanup = new Cleanup()
  // Ctrl-C still stops the server and removes its data directory.
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)))
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
