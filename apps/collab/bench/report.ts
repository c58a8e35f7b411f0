import { cpus, loadavg } from 'node:os'
import { describeCpu, type PhaseCpu } from './cpu-time'
import type { DurabilityResult } from './durability'
import type { MemoryReading } from './memory'
import type { BenchOptions } from './options'
import { round, type LatencySummary } from './stats'
import { describeStore, type StoreMetrics } from './store-metrics'
import type { ThroughputResult } from './throughput'
import type { TypingResult } from './typing'

/** Server memory at three points, each after a forced garbage collection. */
export interface MemoryReadings {
  /** After the workspace exists, before any document is opened. */
  before: MemoryReading
  /** Every client connected and synced: the documents are open. */
  open: MemoryReading
  /** After the typing phase, the documents holding what was typed. */
  afterTyping: MemoryReading
}

export interface BenchResult {
  options: BenchOptions
  echo: LatencySummary
  typing: TypingResult
  throughput: ThroughputResult
  durability: DurabilityResult
  memory: MemoryReadings
  /** Main-thread CPU time of the server and of this process, per phase. */
  cpu: { typing: PhaseCpu; throughput: PhaseCpu }
  /** The server's write path as its /metrics reports it, per phase; undefined without a metrics endpoint. */
  store: { typing: StoreMetrics; throughput: StoreMetrics } | undefined
}

/** The issue's targets, with durability on. */
export const TARGETS = { p50OverEchoMs: 5, p99Ms: 30, updatesPerSecond: 2000 } as const

const ms = (v: number) => `${round(v)} ms`
const mib = (kib: number) => `${round(kib / 1024, 1)} MiB`
const mem = (m: MemoryReading) => `${mib(m.rssKiB)} (${mib(m.heapKiB)})`
const kib = (v: number) => `${round(v, 0)} KiB`

/** Readable lines with every figure, then the one-line JSON summary (always last). */
export function formatReport(r: BenchResult): string[] {
  const { echo, typing, throughput, durability, memory, cpu, store, options: o } = r
  const json = summaryJson(r)
  return [
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => round(l, 1))
      .join(' ')} at the end: other work on the machine shows up in every figure`,
    `echo floor (bare ws round trip, client -> server -> same client): p50 ${ms(echo.p50)}, p99 ${ms(echo.p99)}, max ${ms(echo.max)} (${echo.count} samples)`,
    `keystroke latency (client A -> server -> client B): p50 ${ms(typing.latency.p50)}, p99 ${ms(typing.latency.p99)}, max ${ms(typing.latency.max)} (${typing.latency.count} samples; ${typing.keystrokes} keystrokes, ${round(typing.keystrokesPerSecond, 0)}/s)`,
    `slowest keystrokes: ${typing.slowest.map((s) => `${ms(s.ms)} at ${round(s.atSeconds, 1)} s`).join(', ')}`,
    `main threads while typing: ${describeCpu(cpu.typing)}`,
    ...(store ? [`server write path while typing: ${describeStore(store.typing)}`] : []),
    `throughput: ${round(throughput.updatesPerSecond, 0)} updates/s acknowledged (${throughput.acknowledged} in ${round(throughput.seconds, 1)} s, ${o.clients} clients x ${o.inFlight} in flight)`,
    `main threads at saturation: ${describeCpu(cpu.throughput)}`,
    ...(store ? [`server write path at saturation: ${describeStore(store.throughput)}`] : []),
    `durability: ${durability.matching}/${durability.documents} documents read back from the database equal the clients' text (${durability.characters} characters)`,
    ...durability.mismatches.map((m) => `  MISMATCH ${m}`),
    `server memory after GC, VmRSS (JS heap): ${mem(memory.before)} before opening documents, ${mem(memory.open)} with ${o.documents} open and ${o.clients} clients, ${mem(memory.afterTyping)} after typing`,
    memoryLine(memory, o),
    `targets: p50 within echo + ${TARGETS.p50OverEchoMs} ms ${yesNo(json.targets.p50WithinEchoPlus5ms)}, p99 under ${TARGETS.p99Ms} ms ${yesNo(json.targets.p99Under30ms)}, at least ${TARGETS.updatesPerSecond} updates/s ${yesNo(json.targets.atLeast2000UpdatesPerSecond)}`,
    JSON.stringify(json),
  ]
}

/**
 * Per document: the RSS and heap growth from opening them. After typing only the heap is given: by then RSS
 * also moves with what glibc and PGlite hand back to the OS, by more than all the documents weigh.
 */
function memoryLine({ before, open, afterTyping }: MemoryReadings, o: BenchOptions): string {
  const per = (v: number) => kib(v / o.documents)
  return (
    `memory per open document (with its share of the ${o.clients} connections): ${per(open.rssKiB - before.rssKiB)} RSS, ` +
    `${per(open.heapKiB - before.heapKiB)} JS heap once opened; ${per(afterTyping.heapKiB - before.heapKiB)} JS heap after typing`
  )
}

function yesNo(ok: boolean): string {
  return ok ? 'met' : 'MISSED'
}

/** The last line of the output; field names are part of the bench's interface. */
export function summaryJson({ echo, typing, throughput, memory, options }: BenchResult) {
  const p50 = typing.latency.p50
  const p99 = typing.latency.p99
  return {
    clients: options.clients,
    documents: options.documents,
    p50Ms: round(p50),
    p99Ms: round(p99),
    echoP50Ms: round(echo.p50),
    echoP99Ms: round(echo.p99),
    updatesPerSecond: round(throughput.updatesPerSecond, 0),
    // The JS heap, not VmRSS: after a forced GC both agree at 50 documents (about 40 KiB each), but at 5 the
    // RSS delta swung from -1 to 255 KiB per document between runs as V8 reused or returned pages.
    serverMemoryPerDocumentKiB: round((memory.open.heapKiB - memory.before.heapKiB) / options.documents, 0),
    targets: {
      p50WithinEchoPlus5ms: p50 <= echo.p50 + TARGETS.p50OverEchoMs,
      p99Under30ms: p99 < TARGETS.p99Ms,
      atLeast2000UpdatesPerSecond: throughput.updatesPerSecond >= TARGETS.updatesPerSecond,
    },
  }
}
