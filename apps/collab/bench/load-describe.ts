import type { StepResult } from './load-step'
import { describeStore } from './store-metrics'

const pct = (v: number) => `${Math.round(v)}%`
const ms = (v: number) => `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} ms`
const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`

/**
 * A step in a few lines: the headline (latency, updates/s, CPU of every process), then what explains a tail
 * (the slowest keystrokes and when they were typed, the user hosts' event-loop delay, each node's memory and
 * write path, sockets that closed).
 */
export function describeStep(s: StepResult): string[] {
  const nodes = s.nodes.map((n) => `${pct(n.cpuPercent)} (main thread ${pct(n.mainRunPercent)})`).join(' + ')
  const hosts = s.hosts.map((h) => pct(h.cpuPercent)).join(' + ')
  const lost = s.undelivered > 0 ? ` (${s.undelivered} never arrived)` : ''
  return [
    `${s.users} users / ${s.documents} docs${s.remeasured ? ' (measured again)' : ''}: p50 ${ms(s.latency.p50)}, p99 ${ms(s.latency.p99)}${lost}, ` +
      `${Math.round(s.updatesPerSecond)} updates/s (+ as many cursor moves); CPU: nodes ${nodes}, ` +
      `user hosts ${hosts}${s.database ? `, database ${pct(s.database.cpuPercent)}` : ''}, ` +
      `driver ${pct(s.driver.cpuPercent)}, other processes ${pct(s.otherPercent)}; ` +
      `machine ${pct(s.machineBusyPercent)} busy`,
    `slowest ${s.slowest.map((k) => `${ms(k.ms)} at ${Math.round(k.atMs / 100) / 10} s`).join(', ')}; ` +
      `user-host event-loop delay p99 ${s.hosts.map((h) => ms(h.loopDelayP99Ms)).join(' + ')}; ` +
      `node RSS ${s.nodes.map((n) => mib(n.rssKiB)).join(' + ')}; node main threads waited ` +
      `${s.nodes.map((n) => pct(n.mainWaitPercent)).join(' + ')} for a core; connect ${ms(s.connectMs)}`,
    ...s.store.map((m, i) =>
      m ? `node ${i + 1} write path: ${describeStore(m)}` : `node ${i + 1}: no /metrics`,
    ),
    ...(s.closeCodes.length > 0 ? [`SOCKETS CLOSED, codes ${s.closeCodes.join(', ')}`] : []),
  ]
}
