import type { DurabilityResult } from './durability'
import type { BenchOptions } from './options'
import { round, type LatencySummary } from './stats'
import type { ThroughputResult } from './throughput'
import type { TypingResult } from './typing'

/** Server resident memory (VmRSS) at three points, in KiB. */
export interface MemoryReadings {
  /** After the workspace exists, before any document is opened. */
  before: number
  /** Every client connected and synced: the documents are open. */
  open: number
  /** After the typing phase. */
  afterTyping: number
}

export interface BenchResult {
  options: BenchOptions
  echo: LatencySummary
  typing: TypingResult
  throughput: ThroughputResult
  durability: DurabilityResult
  memory: MemoryReadings
}

/** The targets, with durability on. */
export const TARGETS = { p50OverEchoMs: 5, p99Ms: 30, updatesPerSecond: 2000 } as const

const ms = (v: number) => `${round(v)} ms`
const mib = (kib: number) => `${round(kib / 1024, 1)} MiB`

/** Readable lines with every figure, then the one-line JSON summary (always last). */
export function formatReport(r: BenchResult): string[] {
  const { echo, typing, throughput, durability, memory, options: o } = r
  const json = summaryJson(r)
  return [
    `echo floor (bare ws round trip, client -> server -> same client): p50 ${ms(echo.p50)}, p99 ${ms(echo.p99)}, max ${ms(echo.max)} (${echo.count} samples)`,
    `keystroke latency (client A -> server -> client B): p50 ${ms(typing.latency.p50)}, p99 ${ms(typing.latency.p99)}, max ${ms(typing.latency.max)} (${typing.latency.count} samples; ${typing.keystrokes} keystrokes, ${round(typing.keystrokesPerSecond, 0)}/s)`,
    `throughput: ${round(throughput.updatesPerSecond, 0)} updates/s acknowledged (${throughput.acknowledged} in ${round(throughput.seconds, 1)} s, ${o.clients} clients x ${o.inFlight} in flight)`,
    `durability: ${durability.matching}/${durability.documents} documents read back from the database equal the clients' text (${durability.characters} characters)`,
    ...durability.mismatches.map((m) => `  MISMATCH ${m}`),
    `server memory (VmRSS): ${mib(memory.before)} before opening documents, ${mib(memory.open)} with ${o.documents} open and ${o.clients} clients, ${mib(memory.afterTyping)} after typing; ${round(json.serverMemoryPerDocumentKiB, 0)} KiB per open document (connections included)`,
    `targets: p50 within echo + ${TARGETS.p50OverEchoMs} ms ${yesNo(json.targets.p50WithinEchoPlus5ms)}, p99 under ${TARGETS.p99Ms} ms ${yesNo(json.targets.p99Under30ms)}, at least ${TARGETS.updatesPerSecond} updates/s ${yesNo(json.targets.atLeast2000UpdatesPerSecond)}`,
    JSON.stringify(json),
  ]
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
    serverMemoryPerDocumentKiB: round((memory.open - memory.before) / options.documents, 0),
    targets: {
      p50WithinEchoPlus5ms: p50 <= echo.p50 + TARGETS.p50OverEchoMs,
      p99Under30ms: p99 < TARGETS.p99Ms,
      atLeast2000UpdatesPerSecond: throughput.updatesPerSecond >= TARGETS.updatesPerSecond,
    },
  }
}
