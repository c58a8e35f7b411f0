import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { completionEvents } from '@mimiverse/db/schema'

/**
 * Inline completion telemetry: the editor reports each suggestion it showed, and whether it was accepted or
 * dismissed, with the request latency and the model. Stats are per project, for its members.
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
  record(events: CompletionEvent[]): Promise<void>
  stats(projectId: string): Promise<CompletionStats>
}

export function createCompletionEvents(db: Db): CompletionEvents {
  return {
    async record(events) {
      if (events.length) await db.insert(completionEvents).values(events)
    },
    async stats(projectId) {
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
