import { cpus, loadavg } from 'node:os'
import type { LoadOptions } from './load-options'
import { describeStep } from './load-describe'
import type { StepResult, StopReason } from './load-step'
import { limitedBy } from './load-verdict'
import { round } from './stats'

/** One phase of `bench:load`: its set-up, every step, why it stopped and what limited it. */
export interface PhaseResult {
  name: 'oneNode' | 'twoNodes'
  describe: string
  steps: StepResult[]
  stoppedBy: StopReason
  /** Each node's last error log lines, to say why appends failed or sockets closed. */
  nodeErrors: string[][]
}

/** The issue's target: at least this many concurrent typing users on one node with p99 under the bound. */
export const LOAD_TARGET_USERS = 500

/** The largest step whose p99 stayed under the bound without losing a socket, if any. */
export function heldStep(phase: PhaseResult, o: LoadOptions): StepResult | undefined {
  return phase.steps.filter((s) => s.latency.p99 < o.p99LimitMs && s.closeCodes.length === 0).at(-1)
}

const STOPS: Record<StopReason, string> = {
  p99: 'p99 passed the bound',
  disconnects: 'sockets closed',
  maxUsers: 'reached max users',
  budget: 'time budget spent',
}

/** Readable lines for every phase, then the one-line JSON summary (always last). */
export function formatLoadReport(phases: PhaseResult[], o: LoadOptions): string[] {
  const lines = [
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => round(l, 1))
      .join(
        ' ',
      )}; users type ${o.rate} keystrokes/s on average (pauses included), each keystroke also moves ` +
      `the cursor (an awareness update); ${o.usersPerDoc} users per document; ${o.hosts} user-host processes`,
  ]
  for (const phase of phases) {
    const held = heldStep(phase, o)
    const last = phase.steps.at(-1)
    lines.push(
      `${phase.name}: ${phase.describe}`,
      ...phase.steps.flatMap((s) => describeStep(s).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`))),
      `  held: ${held ? `${held.users} users on ${held.documents} documents, p99 ${round(held.latency.p99)} ms` : 'no step'} ` +
        `(stopped: ${STOPS[phase.stoppedBy]})`,
      ...(last ? limitedBy(last, cpus().length, o.p99LimitMs).map((l) => `  limited by ${l}`) : []),
      ...phase.nodeErrors.flatMap((errors, i) =>
        errors.length > 0
          ? [`  node ${i + 1} logged errors (last ${errors.length}):`, ...errors.map((e) => `    ${e}`)]
          : [],
      ),
    )
  }
  lines.push(JSON.stringify(loadSummary(phases, o)))
  return lines
}

function phaseSummary(phase: PhaseResult, o: LoadOptions) {
  const held = heldStep(phase, o)
  const last = phase.steps.at(-1)
  return {
    usersHeld: held?.users ?? 0,
    documentsHeld: held?.documents ?? 0,
    p50Ms: held ? round(held.latency.p50) : null,
    p99Ms: held ? round(held.latency.p99) : null,
    updatesPerSecond: held ? round(held.updatesPerSecond, 0) : null,
    nodes: (held?.nodes ?? []).map((n) => ({
      cpuPercent: round(n.cpuPercent, 0),
      mainThreadPercent: round(n.mainRunPercent, 0),
      rssMiB: round(n.rssKiB / 1024, 0),
    })),
    userHostsCpuPercent: held ? round(sum(held.hosts.map((h) => h.cpuPercent)), 0) : null,
    databaseCpuPercent: held?.database ? round(held.database.cpuPercent, 0) : null,
    stoppedBy: phase.stoppedBy,
    limitedBy: last ? (limitedBy(last, cpus().length, o.p99LimitMs)[0] ?? null) : null,
    // p99 is null (JSON has no Infinity) when a keystroke of the step never arrived.
    steps: phase.steps.map((s) => ({ users: s.users, p99Ms: round(s.latency.p99) })),
  }
}

/** The last line of the output; field names are part of the bench's interface. */
export function loadSummary(phases: PhaseResult[], o: LoadOptions) {
  const one = phases.find((p) => p.name === 'oneNode')
  const summaries = Object.fromEntries(phases.map((p) => [p.name, phaseSummary(p, o)]))
  const oneHeld = one ? (heldStep(one, o)?.users ?? 0) : undefined
  return {
    ...summaries,
    p99LimitMs: o.p99LimitMs,
    targets: {
      atLeast500UsersOnOneNode: oneHeld === undefined ? null : oneHeld >= LOAD_TARGET_USERS,
    },
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
