import { CloseCode } from '@mimiverse/shared'
import type { StepResult } from './load-step'
import type { StoreMetrics } from './store-metrics'

/**
 * What limited a phase, judged from its last step (the one that passed the p99 bound, or the largest one).
 * Every figure is printed anyway; this names the first suspect, in this order, because on a 2-core machine
 * the processes share the cores and one saturated part makes every other wait:
 *
 * - a node's main thread near a full core: a Node server runs Hocuspocus, Yjs and PGlite's WebAssembly on one
 *   thread, so that is its ceiling, whatever the machine has left;
 * - a user host's event loop lagging: the simulated clients are late to process arrivals, which the bench
 *   would count as server latency;
 * - the database server's process near a full core (two nodes: one PGlite serves both);
 * - the machine's cores all busy: no single process is at its ceiling, but they queue for the cores.
 *
 * Before those come causes that are not CPU: sockets closed because appends failed (the database), a step
 * with log compactions (a compaction holds the database, so every document's appends wait behind it, which
 * shows as keystrokes of every document slow at the same moment), and work outside the bench (another test
 * run on a shared machine) when it took a sizeable share.
 */
const MAIN_THREAD_BUSY = 85
const HOST_LOOP_LAG_MS = 50
const HOST_BUSY = 90
const DATABASE_BUSY = 85
const MACHINE_BUSY = 90
/** Mean compaction time from which compactions are named as holding the appends. */
const SLOW_COMPACTION_MS = 50
/** CPU of processes outside the bench (other users of a shared machine), in percent of one core. */
export const OUTSIDE_WORK = 25

export function limitedBy(step: StepResult, cores: number, p99LimitMs: number): string[] {
  const found: string[] = []
  const pct = (v: number) => `${Math.round(v)}%`
  const busiest = step.nodes.reduce((a, b) => (b.mainRunPercent > a.mainRunPercent ? b : a))
  if (busiest.mainRunPercent >= MAIN_THREAD_BUSY)
    found.push(`server CPU: a node's main thread ran ${pct(busiest.mainRunPercent)} of a core (its ceiling)`)
  const host = step.hosts.reduce((a, b) => (b.loopDelayP99Ms > a.loopDelayP99Ms ? b : a))
  if (host.loopDelayP99Ms >= HOST_LOOP_LAG_MS || host.cpuPercent >= HOST_BUSY)
    found.push(
      `client CPU: a user host ran ${pct(host.cpuPercent)} of a core, event-loop delay p99 ${Math.round(host.loopDelayP99Ms)} ms`,
    )
  if (step.database && step.database.cpuPercent >= DATABASE_BUSY)
    found.push(`database: the PGlite server ran ${pct(step.database.cpuPercent)} of a core`)
  if (step.machineBusyPercent >= MACHINE_BUSY)
    found.push(
      `machine CPU: all ${cores} cores ${pct(step.machineBusyPercent)} busy; node main threads waited ` +
        `${step.nodes.map((n) => pct(n.mainWaitPercent)).join(' + ')} of the time for a core`,
    )
  const storage = step.closeCodes.filter((c) => c === (CloseCode.StorageUnavailable as number)).length
  if (storage > 0)
    found.unshift(
      `database: ${storage} sockets closed with ${CloseCode.StorageUnavailable} (an append to the log failed; ` +
        `the node's errors below say why)`,
    )
  // Short compactions interleave with appends (they are one statement each, and paced): only long ones hold them.
  const compactions = step.store.filter(
    (m) =>
      m &&
      m.compactions.count > 0 &&
      (1000 * m.compactions.sumSeconds) / m.compactions.count >= SLOW_COMPACTION_MS,
  ) as StoreMetrics[]
  if (compactions.length > 0 && step.latency.p99 > p99LimitMs && busiest.mainRunPercent < MAIN_THREAD_BUSY)
    found.unshift(
      `the write path: ${compactions.map((m) => `${m.compactions.count} compactions (mean ${Math.round((1000 * m.compactions.sumSeconds) / m.compactions.count)} ms)`).join(' + ')} ` +
        `held the database while every document's appends (and so its keystrokes) waited`,
    )
  if (step.otherPercent >= OUTSIDE_WORK)
    found.unshift(
      `other work on the machine: processes outside the bench used ${pct(step.otherPercent)} of a core ` +
        `during the measurement, so this figure understates the server`,
    )
  if (found.length === 0)
    found.push('no CPU ceiling reached: look at the slow-keystroke pattern (GC, compaction, lost sockets)')
  return found
}
