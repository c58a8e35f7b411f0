import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { completionEvents } from '@mimiverse/db/schema'

/**
 * Inline completion telemetry: the editor reports each suggestion it showed, and whether it was accepted or
 * dismissed, with the request latency and the model. Stats are per project, for its members.
 *
 * Events are written in batches (every `flushMs`, or at `maxBatch` events), not one INSERT per event: they come
 * at typing pace, and on the embedded PGlite every statement runs on the event loop that also serves the
 * completions and the collab sockets. `stats` writes what is pending first, so it always counts every event
 * recorded before it; a crash loses at most `flushMs` of telemetry, never anything else.
 */
export type CompletionEventKind = 'shown' | 'accepted' | 'dismissed'

export interface CompletionEvent {
  projectId: string
  userId: string
  docName: string
  kind: CompletionEventKind
  latencyMs: number
  model: string
}

export interface CompletionStats {
  shown: number
  accepted: number
  dismissed: number
  /** accepted / shown, 0 when nothing was shown. */
  acceptanceRate: number
  /** Latency of shown suggestions in milliseconds; null when there are none. */
  latencyMs: { p50: number | null; p90: number | null; p99: number | null }
}

export interface CompletionEvents {
  /** Queues the events for the next batch. */
  record(events: CompletionEvent[]): void
  stats(projectId: string): Promise<CompletionStats>
  /** Writes what is queued (a failed batch is logged and dropped: it is telemetry). */
  flush(): Promise<void>
}

export interface CompletionEventsOptions {
  db: Db
  log: Logger
  /** Longest time an event waits to be written, in ms. Default 1000. */
  flushMs?: number
  /** Events that trigger a write at once. Default 200. */
  maxBatch?: number
}

export function createCompletionEvents(opts: CompletionEventsOptions): CompletionEvents {
  const { db, log } = opts
  let pending: CompletionEvent[] = []
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()
  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    const batch = pending
    pending = []
    // Batches are chained, so a flush resolves only once everything queued before it is written.
    writing = writing.then(async () => {
      if (!batch.length) return
      try {
        await db.insert(completionEvents).values(batch)
      } catch (e: unknown) {
        log.warn('could not record completion events', { events: batch.length, error: e })
      }
    })
    return writing
  }
  return {
    record(events) {
      pending.push(...events)
      if (pending.length >= (opts.maxBatch ?? 200)) void flush()
      else timer ??= setTimeout(() => void flush(), opts.flushMs ?? 1000).unref()
    },
    flush,
    async stats(projectId) {
      await flush()
      const counts = await db
        .select({ kind: completionEvents.kind, n: sql<number>`count(*)::int` })
        .from(completionEvents)
        .where(eq(completionEvents.projectId, projectId))
        .groupBy(completionEvents.kind)
      const n = (k: CompletionEventKind) => counts.find((c) => c.kind === k)?.n ?? 0
      const pct = (p: number) =>
        sql<number | null>`percentile_cont(${p}) within group (order by ${completionEvents.latencyMs})`
      const [latency] = await db
        .select({ p50: pct(0.5), p90: pct(0.9), p99: pct(0.99) })
        .from(completionEvents)
        .where(and(eq(completionEvents.projectId, projectId), eq(completionEvents.kind, 'shown')))
      const round = (v: number | string | null | undefined) => (v == null ? null : Math.round(Number(v)))
      const shown = n('shown')
      return {
        shown,
        accepted: n('accepted'),
        dismissed: n('dismissed'),
        acceptanceRate: shown ? n('accepted') / shown : 0,
        latencyMs: { p50: round(latency?.p50), p90: round(latency?.p90), p99: round(latency?.p99) },
      }
    },
  }
}
