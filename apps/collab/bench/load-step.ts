import type { ProcUsage } from './proc-stat'
import type { LatencySummary } from './stats'
import type { StoreMetrics } from './store-metrics'

/** What one ramp step of `bench:load` measured (see `load-ramp.ts`). */
export interface StepResult {
  users: number
  documents: number
  /** Time for the step's new users to connect and sync. */
  connectMs: number
  /** Keystroke latency; a keystroke that never arrived counts as infinitely slow. */
  latency: LatencySummary
  undelivered: number
  /** Keystrokes per second over the window: Yjs updates the server(s) applied; as many cursor moves. */
  updatesPerSecond: number
  nodes: (ProcUsage & { rssKiB: number })[]
  hosts: (ProcUsage & { loopDelayP99Ms: number })[]
  database: ProcUsage | undefined
  /** This process: the driver, which only orchestrates. */
  driver: ProcUsage
  machineBusyPercent: number
  /** CPU of everything else on the machine (not the bench's processes), in percent of one core. */
  otherPercent: number
  /** Close codes seen by the users' sockets so far (every host). */
  closeCodes: number[]
  /** The slowest keystrokes of the window (all hosts): when they were typed and their latency. */
  slowest: { atMs: number; ms: number }[]
  /** Measured a second time because outside work disturbed the first measurement (see `runStep`). */
  remeasured?: boolean
  /** Each node's write path from its /metrics, over the step (scraped outside the window). */
  store: (StoreMetrics | undefined)[]
}

export type StopReason = 'p99' | 'disconnects' | 'maxUsers' | 'budget'
