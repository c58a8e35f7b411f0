import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { migrate, openDatabase } from '@mimiverse/db'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { DocStore } from '../src/services/doc-store'
import { round, summarize } from './stats'

/**
 * `npx tsx bench/store-probe.ts`: the server's write path without the network, to explain `bench:collab`.
 * Opens PGlite on disk as the server does and times (1) `DocStore.append` commits for bursts of 1, 16 and 256
 * concurrent one-character updates (group commit turns a burst into one INSERT), and (2) `compact` of a
 * document whose log holds as many rows as the typing phase writes before Hocuspocus' 10 s maxDebounce
 * store. While either runs, PGlite's WebAssembly holds the server's only thread: every other document waits.
 */
const ROWS_BEFORE_COMPACTION = 320

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mimiverse-probe-'))
  const database = await openDatabase({ dataDir: join(dir, 'db') })
  try {
    await migrate(database)
    const store = new DocStore(database.db, createLogger('warn'))
    const updates = typingUpdates(ROWS_BEFORE_COMPACTION * 4)
    for (const burst of [1, 16, 256]) await probeAppend(store, updates, burst)
    await probeSocketsInOneTurn(store, updates)
    await probeCompaction(store, updates)
  } finally {
    await database.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** One-character updates as a typist produces them, each encoded on its own. */
function typingUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const out: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => out.push(u))
  const text = doc.getText(CONTENT_FIELD)
  for (let i = 0; i < count; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)))
  return out
}

async function probeAppend(store: DocStore, updates: Uint8Array[], burst: number): Promise<void> {
  const samples: number[] = []
  for (let round = 0; round < 200 / Math.sqrt(burst); round++) {
    const t0 = performance.now()
    await Promise.all(updates.slice(0, burst).map((u) => store.append('probe-append', u)))
    samples.push(performance.now() - t0)
  }
  const s = summarize(samples, 'probe')
  print(
    `append, ${burst} at once: p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms per burst (${round(s.p50 / burst, 3)} ms per update)`,
  )
}

/**
 * Twenty sockets whose frames are read in the same event-loop turn, 8 updates each, as `ws` delivers them: one
 * I/O callback per socket. Group commit only merges them if the INSERT waits for the turn to end; PGlite runs
 * synchronously on this thread, so an INSERT started by the first callback is over before the second runs.
 */
async function probeSocketsInOneTurn(store: DocStore, updates: Uint8Array[]): Promise<void> {
  const sockets = 20
  const perSocket = 8
  const batches = store.stats.batches
  const t0 = performance.now()
  const appends: Promise<void>[] = []
  await new Promise<void>((resolve) => {
    for (let s = 0; s < sockets; s++) {
      setImmediate(() => {
        for (let i = 0; i < perSocket; i++)
          appends.push(store.append('probe-sockets', updates[s * perSocket + i]!))
        if (s === sockets - 1) resolve()
      })
    }
  })
  await Promise.all(appends)
  const inserts = store.stats.batches - batches
  print(
    `${sockets} sockets x ${perSocket} updates in one turn: ${inserts} INSERTs, ${round(performance.now() - t0)} ms in all`,
  )
}

async function probeCompaction(store: DocStore, updates: Uint8Array[]): Promise<void> {
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    const name = `probe-compact-${i}`
    await Promise.all(updates.slice(0, ROWS_BEFORE_COMPACTION).map((u) => store.append(name, u)))
    const t0 = performance.now()
    await store.compact(name)
    samples.push(performance.now() - t0)
  }
  const s = summarize(samples, 'probe')
  print(
    `compact ${ROWS_BEFORE_COMPACTION} log rows: p50 ${round(s.p50)} ms, max ${round(s.max)} ms (5 documents)`,
  )
}

main().catch((e: unknown) => {
  process.stderr.write(`probe failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})

/** One line of the probe's report on stdout, as the other bench entries print. */
function print(line: string): void {
  process.stdout.write(`${line}\n`)
}
