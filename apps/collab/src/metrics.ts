import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { StoreObserver } from './services/doc-store'

/**
 * Prometheus metrics of a collab node, in a registry of its own (several servers in one test process never
 * clash). Gauges that mirror live state (connections, open documents, log size) are read when scraped.
 */
export interface CollabMetrics {
  registry: Registry
  appendBatch: Histogram<'outcome'>
  appendedUpdates: Counter
  compaction: Histogram<'outcome'>
  storeFailures: Counter<'operation'>
  refusedConnections: Counter<'code'>
  malformedFrames: Counter
  /** Sockets refused or closed by a limit (a socket cap, the authentication deadline, unauthenticated bytes). */
  socketLimits: Counter<'limit'>
  refusedPresence: Counter<'reason'>
  callbackErrors: Counter<'callback'>
  unapplicableUpdates: Counter<'stage'>
  quarantinedUpdates: Counter<'kind'>
}

export interface LiveState {
  connections: () => number
  documents: () => number
  pendingAppends: () => number
  /** Open WebSockets, authenticated or not. */
  sockets: () => number
  /** Bytes the node holds for documents not yet authenticated. */
  unauthenticatedBytes: () => number
  /** Rows and bytes in the write-ahead log; may be slow, so it is cached between scrapes. */
  logSize: () => Promise<{ rows: number; bytes: number }>
  /** The embedded database only: JavaScript heap in use on its thread, which the process's own heap gauges miss. */
  databaseHeap?: () => Promise<number>
}

export function createCollabMetrics(live: LiveState): CollabMetrics {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry, prefix: 'mimi_collab_' })
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect: readInto(read) })
  gauge('mimi_collab_connections', 'Open (socket, document) connections.', live.connections)
  gauge('mimi_collab_documents_open', 'Documents loaded in memory.', live.documents)
  gauge('mimi_collab_pending_appends', 'Updates waiting for the write-ahead log INSERT.', live.pendingAppends)
  gauge('mimi_collab_sockets', 'Open collab WebSockets, authenticated or not.', live.sockets)
  gauge(
    'mimi_collab_unauthenticated_bytes',
    'Bytes queued for documents not yet authenticated, over all sockets.',
    live.unauthenticatedBytes,
  )
  const logSize = cached(live.logSize, 5_000)
  new Gauge({
    name: 'mimi_collab_wal_rows',
    help: 'Rows in the write-ahead log not yet compacted into snapshots.',
    registers,
    async collect() {
      this.set((await logSize()).rows)
    },
  })
  new Gauge({
    name: 'mimi_collab_wal_bytes',
    help: 'Bytes of updates in the write-ahead log not yet compacted.',
    registers,
    async collect() {
      this.set((await logSize()).bytes)
    },
  })
  const { databaseHeap } = live
  if (databaseHeap)
    new Gauge({
      name: 'mimi_collab_database_thread_heap_bytes',
      help: "JavaScript heap in use on the embedded database's thread (its WebAssembly memory is in the RSS).",
      registers,
      // A scrape must not fail, nor wait for a thread busy with a long statement: the last value stays.
      async collect() {
        const bytes = await within(databaseHeap, 1_000)
        if (bytes !== undefined) this.set(bytes)
      },
    })
  return {
    registry,
    appendBatch: new Histogram({
      name: 'mimi_collab_append_batch_duration_seconds',
      help: 'Time of one group-committed INSERT into the write-ahead log.',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    appendedUpdates: new Counter({
      name: 'mimi_collab_updates_total',
      help: 'Document updates appended to the write-ahead log (and so applied).',
      registers,
    }),
    compaction: new Histogram({
      name: 'mimi_collab_compaction_duration_seconds',
      help: 'Time to fold a document log into its snapshot.',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    storeFailures: new Counter({
      name: 'mimi_collab_store_failures_total',
      help: 'Failed appends and compactions.',
      labelNames: ['operation'],
      registers,
    }),
    refusedConnections: new Counter({
      name: 'mimi_collab_refused_connections_total',
      help: 'Connections refused at authentication, by close code.',
      labelNames: ['code'],
      registers,
    }),
    malformedFrames: new Counter({
      name: 'mimi_collab_malformed_frames_total',
      help: 'Connections closed for a malformed frame.',
      registers,
    }),
    socketLimits: new Counter({
      name: 'mimi_collab_socket_limits_total',
      help: 'Sockets refused or closed by a limit: node, address, auth-timeout, unauthenticated-bytes.',
      labelNames: ['limit'],
      registers,
    }),
    refusedPresence: new Counter({
      name: 'mimi_collab_refused_presence_total',
      help: "Connections closed for a presence update: invalid, forged identity, another's client, too many.",
      labelNames: ['reason'],
      registers,
    }),
    callbackErrors: new Counter({
      name: 'mimi_collab_callback_errors_total',
      help: 'Exceptions caught in timer and event callbacks (logged; they would have ended the process).',
      labelNames: ['callback'],
      registers,
    }),
    unapplicableUpdates: new Counter({
      name: 'mimi_collab_unapplicable_updates_total',
      help:
        'Client updates that cannot be applied, connection closed: refused by the frame check before storing ' +
        '(stage="frame"), or threw on the live document after storing (stage="document").',
      labelNames: ['stage'],
      registers,
    }),
    quarantinedUpdates: new Counter({
      name: 'mimi_collab_quarantined_updates_total',
      help: 'Stored updates that could not be applied, moved out of a document log (kind="update") or snapshots.',
      labelNames: ['kind'],
      registers,
    }),
  }
}

function readInto(read: () => number) {
  return function (this: Gauge) {
    this.set(read())
  }
}

/** What `read` gives within `ms`, or undefined if it failed or was late. */
async function within<T>(read: () => Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([read().catch(() => undefined), late])
  } finally {
    clearTimeout(timer)
  }
}

/** Memoizes an async read for `ttlMs`, so frequent scrapes do not each scan the log table. */
function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let at = 0
  let value: Promise<T> | undefined
  return () => {
    if (!value || Date.now() - at > ttlMs) {
      at = Date.now()
      value = read().catch((e: unknown) => {
        value = undefined
        throw e
      })
    }
    return value
  }
}

/** Feeds the DocStore's INSERT and compaction timings into the metrics. */
export function storeObserver(metrics: CollabMetrics): StoreObserver {
  const outcome = (ok: boolean) => ({ outcome: ok ? 'ok' : 'error' })
  return {
    appended(seconds, rows, ok) {
      metrics.appendBatch.observe(outcome(ok), seconds)
      if (ok) metrics.appendedUpdates.inc(rows)
      else metrics.storeFailures.inc({ operation: 'append' })
    },
    compacted(seconds, _rows, ok) {
      metrics.compaction.observe(outcome(ok), seconds)
      if (!ok) metrics.storeFailures.inc({ operation: 'compact' })
    },
    quarantined(kind) {
      metrics.quarantinedUpdates.inc({ kind })
    },
  }
}
