import { fileURLToPath } from 'node:url'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { z } from 'zod'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { connectPeer } from '../src/testing/clients'
import { seededRandom } from '../src/testing/random'
import { spawnChild, type Child } from './child-process'
import { Cleanup } from './cleanup'
import { phaseLength, startPacing } from './pacing'
import { readProc } from './proc-stat'
import { round, summarize, type LatencySummary } from './stats'
import { withTimeout } from './wait'
import { createWorkspace } from './workspace'

/**
 * `npm run bench:peers`: one workload, three servers, one after the other on the same machine:
 *   - mimiverse: the embedded default (`scripts/embedded.ts`: collab, AI with the search indexer, runner),
 *     durable on PGlite on disk, Hocuspocus providers on `/collab`;
 *   - hocuspocus: plain `@hocuspocus/server` in memory, the same providers;
 *   - y-websocket: `@y/websocket-server` in memory, `y-websocket` clients.
 * Every client types one character at a time at a random place of its document, `rate` a second (jittered);
 * each keystroke is timed from just before the insert to its arrival at every other client of the document
 * (`deliveries`). Server CPU comes from /proc (every thread of the server process), resident memory from VmRSS
 * after typing. The last line is one JSON object.
 */
const options = z
  .object({
    clients: z.coerce.number().int().min(2).max(500).default(50),
    documents: z.coerce.number().int().min(1).max(100).default(10),
    rate: z.coerce.number().positive().max(50).default(4),
    seconds: z.coerce.number().min(2).max(120).default(10),
    seed: z.coerce.number().int().default(1),
    only: z.enum(['mimiverse', 'hocuspocus', 'y-websocket']).optional(),
  })
  .parse(flags())

type ServerKind = 'mimiverse' | 'hocuspocus' | 'y-websocket'
const WARMUP_MS = 1000
const DIR = fileURLToPath(new URL('.', import.meta.url))
const READY = /(?:Mimiverse is running at|peer server listening at) (\S+)/

interface Client {
  doc: Y.Doc
  text: Y.Text
  file: number
  synced(): Promise<void>
  closed(): number[]
  destroy(): void
}

interface ServerResult {
  latency: LatencySummary
  keystrokes: number
  deliveries: number
  expectedDeliveries: number
  cpuMsPer1000Keystrokes: number
  rssMiB: number
  converged: boolean
}

async function startServer(kind: ServerKind, cleanup: Cleanup): Promise<Child & { url: string }> {
  const env: Record<string, string | undefined> = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
  let entry = join(DIR, kind === 'hocuspocus' ? 'peers-hocuspocus.ts' : 'peers-y-websocket.ts')
  if (kind === 'mimiverse') {
    const dataDir = await mkdtemp(join(tmpdir(), 'mimiverse-peers-'))
    cleanup.add('remove the data directory', () => rm(dataDir, { recursive: true, force: true }))
    entry = join(DIR, '../../../scripts/embedded.ts')
    Object.assign(env, {
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      SECRET: undefined,
      COLLAB_MAX_SOCKETS_PER_ADDRESS: '100000',
      COLLAB_MAX_SOCKETS_PER_USER: '100000',
      COLLAB_MAX_DOCUMENTS_PER_USER: '100000',
    })
  }
  const child = await spawnChild({ entry, env, ready: READY, timeoutMs: 60_000 })
  cleanup.add(`stop the ${kind} server`, () => child.stop())
  return { ...child, url: child.ready[1] ?? '' }
}

async function connectClients(kind: ServerKind, url: string): Promise<Client[]> {
  const n = options.clients
  if (kind === 'mimiverse') {
    const { workspace, users } = await createWorkspace(url, { documents: options.documents, users: n })
    return Array.from({ length: n }, (_, i) => {
      const user = users[i % users.length]!
      const file = i % options.documents
      const peer = connectPeer({
        baseUrl: url,
        docName: workspace.files[file]!.docName,
        token: async () => (await user.api.collab.token.mutate({ projectId: workspace.projectId })).token,
      })
      return { ...fromPeer(peer), file }
    })
  }
  if (kind === 'hocuspocus') {
    return Array.from({ length: n }, (_, i) => {
      const file = i % options.documents
      return { ...fromPeer(connectPeer({ baseUrl: url, docName: `doc-${file}`, token: 'none' })), file }
    })
  }
  return Array.from({ length: n }, (_, i) => {
    const file = i % options.documents
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(url.replace(/^http/, 'ws'), `doc-${file}`, doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    })
    const codes: number[] = []
    provider.on('connection-close', (event) => void (event && codes.push(event.code)))
    return {
      doc,
      text: doc.getText(CONTENT_FIELD),
      file,
      synced: () =>
        provider.synced
          ? Promise.resolve()
          : new Promise((resolve) => provider.once('sync', () => resolve())),
      closed: () => codes,
      destroy: () => {
        provider.destroy()
        doc.destroy()
      },
    }
  })
}

function fromPeer(peer: ReturnType<typeof connectPeer>): Omit<Client, 'file'> {
  return {
    doc: peer.doc,
    text: peer.text,
    synced: () => peer.synced(),
    closed: () => peer.closeCodes,
    destroy: () => peer.destroy(),
  }
}

/**
 * Matches each keystroke with its arrival at every other client of its document: a one-character insert is
 * one Yjs item with id (sender clientID, sender clock before the insert), and a receiving doc's transaction
 * says which clocks of which senders it integrated.
 */
class Deliveries {
  readonly samples: number[] = []
  count = 0
  private readonly sent = new Map<number, Map<number, { at: number; left: number }>>()
  private outstanding = 0
  private onDrained: (() => void) | undefined
  private readonly detach: (() => void)[] = []

  constructor(
    private readonly clients: Client[],
    private readonly warmupEnd: number,
  ) {
    for (const c of clients) {
      this.sent.set(c.doc.clientID, new Map())
      const handler = (tr: Y.Transaction) => {
        if (tr.local) return
        const now = performance.now()
        for (const [clientID, after] of tr.afterState)
          this.arrived(clientID, tr.beforeState.get(clientID) ?? 0, after, now)
      }
      c.doc.on('afterTransaction', handler)
      this.detach.push(() => c.doc.off('afterTransaction', handler))
    }
  }

  typed(sender: Client): void {
    const receivers = this.clients.filter((c) => c.file === sender.file).length - 1
    const clock = Y.getState(sender.doc.store, sender.doc.clientID)
    this.sent.get(sender.doc.clientID)?.set(clock, { at: performance.now(), left: receivers })
    this.outstanding += receivers
  }

  drained(): Promise<void> {
    return this.outstanding === 0 ? Promise.resolve() : new Promise((resolve) => (this.onDrained = resolve))
  }

  get waiting(): number {
    return this.outstanding
  }

  stop(): void {
    for (const off of this.detach.splice(0)) off()
  }

  private arrived(clientID: number, from: number, to: number, now: number): void {
    const sent = this.sent.get(clientID)
    if (!sent) return
    for (let clock = from; clock < to; clock++) {
      const s = sent.get(clock)
      if (!s) continue
      s.left -= 1
      this.outstanding -= 1
      this.count += 1
      if (s.left === 0) sent.delete(clock)
      if (s.at >= this.warmupEnd) this.samples.push(now - s.at)
    }
    if (this.outstanding === 0) this.onDrained?.()
  }
}

const LINE = 'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0)\n'

async function measure(kind: ServerKind): Promise<ServerResult> {
  const cleanup = new Cleanup()
  try {
    progress(`${kind}: starting`)
    const server = await startServer(kind, cleanup)
    const clients = await connectClients(kind, server.url)
    cleanup.add('disconnect the clients', () => clients.forEach((c) => c.destroy()))
    await withTimeout(Promise.all(clients.map((c) => c.synced())), 30_000, `${kind}: every client to sync`)
    await settle(server.pid)
    progress(
      `${kind}: ${clients.length} clients on ${options.documents} documents typing for ${options.seconds} s`,
    )
    const random = seededRandom(options.seed)
    const started = performance.now()
    const tracker = new Deliveries(clients, started + WARMUP_MS)
    const before = await readProc(server.pid)
    let keystrokes = 0
    const stops = clients.map((c) =>
      startPacing({
        rate: options.rate,
        random,
        tick: () => {
          tracker.typed(c)
          c.text.insert(Math.floor(random() * (c.text.length + 1)), LINE[keystrokes++ % LINE.length]!)
        },
      }),
    )
    await phaseLength(options.seconds)
    for (const stop of stops) stop()
    await withTimeout(tracker.drained(), 20_000, `${kind}: ${tracker.waiting} deliveries`)
    const after = await readProc(server.pid)
    tracker.stop()
    const rssKiB = await server.rssKiB()
    const texts = new Map<number, string>()
    let converged = true
    for (const c of clients) {
      const text = c.text.toString()
      if ((texts.get(c.file) ?? text) !== text) converged = false
      texts.set(c.file, text)
    }
    const codes = clients.flatMap((c) => c.closed())
    if (codes.length > 0) throw new Error(`${kind}: clients were disconnected (${codes.join(', ')})`)
    const perDocument = clients.length / options.documents
    return {
      latency: summarize(tracker.samples, `${kind} delivery`),
      keystrokes,
      deliveries: tracker.count,
      expectedDeliveries: keystrokes * (perDocument - 1),
      cpuMsPer1000Keystrokes: ((after.cpuMs - before.cpuMs) / keystrokes) * 1000,
      rssMiB: rssKiB / 1024,
      converged,
    }
  } finally {
    await cleanup.run()
  }
}

/**
 * Waits (at most 20 s) until the server is quiet: under 20% of a core over half a second, so start-up work
 * (migrations, the first indexing, the runner's first mirror) is not charged to the keystrokes.
 */
async function settle(pid: number): Promise<void> {
  for (const until = performance.now() + 20_000; performance.now() < until;) {
    const a = await readProc(pid)
    await phaseLength(0.5)
    const b = await readProc(pid)
    if (b.cpuMs - a.cpuMs < 100) return
  }
}

function progress(line: string): void {
  process.stderr.write(`[bench:peers] ${line}\n`)
}

function flags(): Record<string, string> {
  const out: Record<string, string> = {}
  const args = process.argv.slice(2)
  for (let i = 0; i < args.length; i++) {
    const [name, value] = args[i]!.replace(/^--/, '').split('=')
    if (!name) continue
    out[name] = value ?? args[++i] ?? ''
  }
  return out
}

function line(kind: string, r: ServerResult): string {
  const f = (n: number) => round(n, 2).toString().padStart(8)
  return `${kind.padEnd(12)} ${f(r.latency.p50)} ${f(r.latency.p99)} ${f(r.latency.max)} ${f(
    r.cpuMsPer1000Keystrokes,
  )} ${f(r.rssMiB)} ${String(r.deliveries).padStart(8)}/${r.expectedDeliveries}`
}

async function main(): Promise<void> {
  const kinds: ServerKind[] = options.only ? [options.only] : ['mimiverse', 'hocuspocus', 'y-websocket']
  const results: Partial<Record<ServerKind, ServerResult>> = {}
  for (const kind of kinds) results[kind] = await measure(kind)
  const ours = results.mimiverse
  const base = results.hocuspocus
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : null
  const ratios = {
    p50: ratio(ours?.latency.p50, base?.latency.p50),
    p99: ratio(ours?.latency.p99, base?.latency.p99),
    cpuPerKeystroke: ratio(ours?.cpuMsPer1000Keystrokes, base?.cpuMsPer1000Keystrokes),
    rss: ratio(ours?.rssMiB, base?.rssMiB),
  }
  const out = [
    `clients ${options.clients}, documents ${options.documents}, ${options.rate} keystrokes/s each, ${options.seconds} s`,
    `server        p50 ms   p99 ms   max ms  CPU ms/1k  RSS MiB  deliveries`,
    ...kinds.map((k) => line(k, results[k]!)),
    `mimiverse / hocuspocus: p50 ${ratios.p50}x, p99 ${ratios.p99}x, CPU per keystroke ${ratios.cpuPerKeystroke}x, RSS ${ratios.rss}x`,
  ]
  const json = {
    clients: options.clients,
    documents: options.documents,
    rate: options.rate,
    seconds: options.seconds,
    servers: Object.fromEntries(
      kinds.map((k) => {
        const r = results[k]!
        return [
          k,
          {
            p50Ms: round(r.latency.p50),
            p99Ms: round(r.latency.p99),
            maxMs: round(r.latency.max),
            cpuMsPer1000Keystrokes: round(r.cpuMsPer1000Keystrokes, 1),
            rssMiB: round(r.rssMiB, 1),
            keystrokes: r.keystrokes,
            deliveries: r.deliveries,
            expectedDeliveries: r.expectedDeliveries,
            converged: r.converged,
          },
        ]
      }),
    ),
    ratios,
    targets: {
      p50Within1_3x: ratios.p50 !== null ? ratios.p50 <= 1.3 : null,
      p99Within2x: ratios.p99 !== null ? ratios.p99 <= 2 : null,
      cpuWithin1_5x: ratios.cpuPerKeystroke !== null ? ratios.cpuPerKeystroke <= 1.5 : null,
      rssUnder300MiB: ours ? ours.rssMiB <= 300 : null,
    },
  }
  process.stdout.write(`${out.join('\n')}\n${JSON.stringify(json)}\n`)
  const bad = kinds.filter(
    (k) => !results[k]!.converged || results[k]!.deliveries !== results[k]!.expectedDeliveries,
  )
  if (bad.length > 0) {
    process.stderr.write(`bench:peers: ${bad.join(', ')} lost deliveries or did not converge\n`)
    process.exitCode = 1
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:peers failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
