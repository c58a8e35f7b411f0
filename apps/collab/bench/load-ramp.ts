import { availableParallelism } from 'node:os'
import type { Cluster } from './load-cluster'
import { describeStep } from './load-describe'
import type { StepResult, StopReason } from './load-step'
import { OUTSIDE_WORK } from './load-verdict'
import type { UserHost } from './load-hosts'
import type { LoadOptions } from './load-options'
import type { UserSpec, WindowReport } from './load-protocol'
import { phaseLength } from './pacing'
import {
  machineBusyBetween,
  readMachine,
  readProc,
  usageBetween,
  type MachineSnapshot,
  type ProcSnapshot,
} from './proc-stat'
import { summarize } from './stats'
import { scrapeStoreMetrics, storeMetricsSince, type StoreMetrics } from './store-metrics'

export interface RampContext {
  cluster: Cluster
  hosts: UserHost[]
  docNames: string[]
  /** One collab token per account; users share accounts round-robin (the sign-up limit), never sockets. */
  accounts: { token: string; user: { id: string; name: string } }[]
  options: LoadOptions
  progress: (line: string) => void
}

/**
 * The ramp of one phase: each step adds `step` users (whole documents, `usersPerDoc` each), lets them settle,
 * then measures for `holdSeconds` while every user so far keeps typing. It stops after the first step whose
 * p99 passes the limit (or that lost a socket), at `maxUsers`, or when the next step would overrun the budget.
 */
export async function ramp(ctx: RampContext): Promise<{ steps: StepResult[]; stoppedBy: StopReason }> {
  const { options: o } = ctx
  const started = performance.now()
  const steps: StepResult[] = []
  let lastStepMs = 0
  while (true) {
    const users = steps.at(-1)?.users ?? 0
    if (users >= o.maxUsers) return { steps, stoppedBy: 'maxUsers' }
    if (steps.length > 0 && performance.now() - started + lastStepMs > o.budgetSeconds * 1000)
      return { steps, stoppedBy: 'budget' }
    const stepStarted = performance.now()
    const step = await runStep(ctx, users, Math.min(o.maxUsers, users + o.step))
    lastStepMs = performance.now() - stepStarted
    steps.push(step)
    if (step.closeCodes.length > 0) return { steps, stoppedBy: 'disconnects' }
    if (!(step.latency.p99 <= o.p99LimitMs)) return { steps, stoppedBy: 'p99' }
  }
}

/**
 * Adds the step's users and measures. A step that fails while processes outside the bench took a sizeable
 * share of the machine (a test run on a shared box) is measured once more before it counts: that noise says
 * nothing about the server. The second measurement is the one kept, whatever it says.
 */
async function runStep(ctx: RampContext, from: number, to: number): Promise<StepResult> {
  const connectStarted = performance.now()
  await addUsers(ctx, from, to)
  const connectMs = performance.now() - connectStarted
  const first = await measure(ctx, to, connectMs)
  ctx.progress(describeStep(first).join('\n  '))
  const failed = !(first.latency.p99 <= ctx.options.p99LimitMs) && first.closeCodes.length === 0
  if (!failed || first.otherPercent < OUTSIDE_WORK) return first
  ctx.progress(
    `re-measuring ${to} users: work outside the bench took ${Math.round(first.otherPercent)}% of a core`,
  )
  await quietMachine(watchedPids(ctx), QUIET_WAIT_MS)
  const second = { ...(await measure(ctx, to, connectMs)), remeasured: true }
  ctx.progress(describeStep(second).join('\n  '))
  return second
}

/** How long a re-measurement waits for outside work to stop, at most. */
const QUIET_WAIT_MS = 30_000

/**
 * Resolves once processes outside the bench used less than `OUTSIDE_WORK` of a core over one second, or after
 * `maxMs`. A poll over one-second samples, since there is no event for "the machine went quiet".
 */
async function quietMachine(pids: number[], maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs
  while (performance.now() < deadline) {
    const a = await snapshot(pids)
    await phaseLength(1)
    const b = await snapshot(pids)
    const ours = pids.reduce(
      (sum, _, i) => sum + usageBetween(a.procs[i]!, b.procs[i]!, b.at - a.at).cpuPercent,
      0,
    )
    if (machineBusyBetween(a.machine, b.machine) * availableParallelism() - ours < OUTSIDE_WORK) return
  }
}

/** Settles, then measures one window with the users connected so far. */
async function measure(ctx: RampContext, users: number, connectMs: number): Promise<StepResult> {
  const { hosts, options: o } = ctx
  // Scraped outside the window: a scrape counts the log table, which would hold the database in it.
  const store0 = await scrapeStores(ctx)
  await phaseLength(o.settleSeconds)
  const pids = watchedPids(ctx)
  const before = await snapshot(pids)
  await Promise.all(hosts.map((h) => h.request({ type: 'open' }, 'opened')))
  await phaseLength(o.holdSeconds)
  const after = await snapshot(pids)
  const rss = await Promise.all(ctx.cluster.nodes.map((n) => n.rssKiB()))
  // Keystrokes timed in the window may still be in flight: each host waits up to 10 s for them.
  const windows = await Promise.all(hosts.map((h) => h.request({ type: 'close', drainMs: 10_000 }, 'window')))
  const store1 = await scrapeStores(ctx)
  const usage = pids.map((_, i) => usageBetween(before.procs[i]!, after.procs[i]!, after.at - before.at))
  const busy = machineBusyBetween(before.machine, after.machine)
  const ours = usage.reduce((sum, u) => sum + u.cpuPercent, 0)
  return {
    users,
    documents: users / o.usersPerDoc,
    connectMs,
    ...windowFigures(windows, (after.at - before.at) / 1000),
    nodes: ctx.cluster.nodes.map((_, i) => ({ ...usage[i]!, rssKiB: rss[i]! })),
    hosts: hosts.map((_, i) => ({
      ...usage[ctx.cluster.nodes.length + i]!,
      loopDelayP99Ms: windows[i]!.loopDelayP99Ms,
    })),
    database: ctx.cluster.databasePid === undefined ? undefined : usage.at(-2),
    driver: usage.at(-1)!,
    machineBusyPercent: busy,
    otherPercent: Math.max(0, busy * availableParallelism() - ours),
    store: store0.map((a, i) => (a && store1[i] ? storeMetricsSince(a, store1[i]) : undefined)),
  }
}

function scrapeStores({ cluster }: RampContext): Promise<(StoreMetrics | undefined)[]> {
  return Promise.all(cluster.nodes.map((n) => scrapeStoreMetrics(n.url)))
}

/**
 * Users `from`..`to`-1. User i is on document i / usersPerDoc, whose users all live in one host (document
 * mod hosts), and on node (i mod usersPerDoc) mod nodes: with two nodes every document has users on both,
 * so its updates and cursors cross Redis.
 */
async function addUsers(ctx: RampContext, from: number, to: number): Promise<void> {
  const { hosts, cluster, docNames, accounts, options: o } = ctx
  const perHost: UserSpec[][] = hosts.map(() => [])
  for (let i = from; i < to; i++) {
    const file = Math.floor(i / o.usersPerDoc)
    const node = (i % o.usersPerDoc) % cluster.nodes.length
    perHost[file % hosts.length]!.push({
      nodeUrl: cluster.nodes[node]!.url,
      node,
      docName: docNames[file]!,
      file,
      ...accounts[i % accounts.length]!,
    })
  }
  const typing = {
    rate: o.rate,
    pauseChance: o.pauseChance,
    pauseMs: o.pauseMs,
    crossNode: cluster.nodes.length > 1,
  }
  await Promise.all(
    hosts
      .map((host, k) => ({ host, users: perHost[k]!, seed: o.seed + k }))
      .filter(({ users }) => users.length > 0)
      .map(({ host, users, seed }) =>
        host.request({ type: 'add', users, typing: { ...typing, seed } }, 'added'),
      ),
  )
}

function windowFigures(windows: WindowReport[], seconds: number) {
  const undelivered = windows.reduce((n, w) => n + w.undelivered, 0)
  const samples = windows.flatMap((w) => w.samples)
  for (let i = 0; i < undelivered; i++) samples.push(Number.POSITIVE_INFINITY)
  return {
    latency: summarize(samples, 'keystroke latency'),
    undelivered,
    updatesPerSecond: windows.reduce((n, w) => n + w.keystrokes, 0) / seconds,
    closeCodes: windows.flatMap((w) => w.closeCodes),
    slowest: windows
      .flatMap((w) => w.slowest)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  }
}

/** Nodes, then hosts, then the database server (if a process of its own), then this process. */
function watchedPids({ cluster, hosts }: RampContext): number[] {
  const db = cluster.databasePid === undefined ? [] : [cluster.databasePid]
  return [...cluster.nodes.map((n) => n.pid), ...hosts.map((h) => h.pid), ...db, process.pid]
}

async function snapshot(
  pids: number[],
): Promise<{ at: number; procs: ProcSnapshot[]; machine: MachineSnapshot }> {
  const [procs, machine] = await Promise.all([Promise.all(pids.map(readProc)), readMachine()])
  return { at: performance.now(), procs, machine }
}
