import { round } from './stats'

/**
 * The server's own account of its write path, scraped from `GET /metrics` between phases (never during one:
 * a scrape counts the log table). Timings come from inside the DocStore, so they say how much of a
 * keystroke's latency is the PGlite INSERT or a compaction holding the database, rather than the network.
 */
export interface StoreMetrics {
  updates: number
  inserts: Histogram
  compactions: Histogram
}

/** A Prometheus histogram summed over its labels: cumulative counts per upper bound, in seconds. */
interface Histogram {
  count: number
  sumSeconds: number
  buckets: Map<number, number>
}

const INSERT = 'mimi_collab_append_batch_duration_seconds'
const COMPACTION = 'mimi_collab_compaction_duration_seconds'

/** Undefined when the server has no metrics endpoint, so the bench still runs against an older build. */
export async function scrapeStoreMetrics(baseUrl: string): Promise<StoreMetrics | undefined> {
  const res = await fetch(`${baseUrl}/metrics`)
  if (!res.ok) return undefined
  const text = await res.text()
  // Declared even before the first observation, when a labelled histogram has no series yet.
  if (!text.includes(`# TYPE ${INSERT} `)) return undefined
  const lines = text.split('\n').filter((l) => l.startsWith('mimi_collab_'))
  return {
    updates: sumOf(lines, 'mimi_collab_updates_total'),
    inserts: histogramOf(lines, INSERT),
    compactions: histogramOf(lines, COMPACTION),
  }
}

function sumOf(lines: string[], series: string): number {
  return lines
    .filter((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
}

function histogramOf(lines: string[], name: string): Histogram {
  const buckets = new Map<number, number>()
  for (const line of lines.filter((l) => l.startsWith(`${name}_bucket{`))) {
    const le = /le="([^"]+)"/.exec(line)?.[1] ?? '+Inf'
    const bound = le === '+Inf' ? Infinity : Number(le)
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)))
  }
  return { count: sumOf(lines, `${name}_count`), sumSeconds: sumOf(lines, `${name}_sum`), buckets }
}

/** What happened between two scrapes. */
export function storeMetricsSince(a: StoreMetrics, b: StoreMetrics): StoreMetrics {
  return {
    updates: b.updates - a.updates,
    inserts: histogramSince(a.inserts, b.inserts),
    compactions: histogramSince(a.compactions, b.compactions),
  }
}

function histogramSince(a: Histogram, b: Histogram): Histogram {
  const buckets = new Map([...b.buckets].map(([le, n]) => [le, n - (a.buckets.get(le) ?? 0)]))
  return { count: b.count - a.count, sumSeconds: b.sumSeconds - a.sumSeconds, buckets }
}

/** e.g. "2400 updates in 2310 INSERTs (1.04 each), mean 0.31 ms, 99% <= 2 ms; 5 compactions, mean 14 ms, all <= 50 ms". */
export function describeStore(m: StoreMetrics): string {
  const { inserts: i, compactions: c } = m
  const insert = `${m.updates} updates in ${i.count} INSERTs (${round(m.updates / Math.max(1, i.count))} each), mean ${meanMs(i)}, 99% <= ${boundMs(i, 0.99)}`
  const compact =
    c.count === 0 ? 'no compaction' : `${c.count} compactions, mean ${meanMs(c)}, all <= ${boundMs(c, 1)}`
  return `${insert}; ${compact}`
}

const meanMs = (h: Histogram) => `${round((1000 * h.sumSeconds) / Math.max(1, h.count))} ms`

/** The smallest bucket bound holding at least `q` of the observations (histograms give no exact quantile). */
function boundMs(h: Histogram, q: number): string {
  const bounds = [...h.buckets.keys()].sort((x, y) => x - y)
  const le = bounds.find((b) => (h.buckets.get(b) ?? 0) >= q * h.count) ?? Infinity
  return le === Infinity ? 'inf' : `${round(le * 1000)} ms`
}
