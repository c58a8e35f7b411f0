import { monitorEventLoopDelay } from 'node:perf_hooks'
import { seededRandom } from '../src/testing/random'
import { ArrivalTracker } from './arrivals'
import type { HostReply, HostRequest, TypingSpec, UserSpec, WindowReport } from './load-protocol'
import { connectUser, type LoadUser } from './load-user'
import { withTimeout } from './wait'

/**
 * A user host of `bench:load`: a child process holding a share of the simulated users (providers, sockets,
 * Y.Docs), driven over IPC (see `load-protocol.ts`). Every user of a document lives in one host, so a
 * keystroke's sender and its watcher share one `performance.now()` clock and no clocks need aligning.
 */
const users: LoadUser[] = []
let tracker: ArrivalTracker<LoadUser> | undefined
let windowKeystrokes = 0
let random: (() => number) | undefined
let crossNode = false
let openedAt = 0
/** Slowest keystrokes reported per window: spikes that line up in time point at a server stall. */
const SLOWEST = 5
const loopDelay = monitorEventLoopDelay({ resolution: 10 })

function onKeystroke(user: LoadUser): void {
  if (!tracker) return
  tracker.sent(user.peer.doc)
  windowKeystrokes += 1
}

async function add(specs: UserSpec[], typing: TypingSpec): Promise<number> {
  const started = performance.now()
  random ??= seededRandom(typing.seed)
  crossNode = typing.crossNode
  const added = specs.map(connectUser)
  users.push(...added)
  await withTimeout(
    Promise.all(added.map((u) => u.peer.synced())),
    60_000,
    `${added.length} users to sync`,
  ).catch((e: unknown) => {
    const refusals = added.flatMap((u) => u.peer.refusals)
    throw refusals.length > 0 ? new Error(`connections refused: ${refusals.join('; ')}`) : e
  })
  for (const user of added) user.startTyping(typing, random, onKeystroke)
  return performance.now() - started
}

/** Two-node phase: the watcher is a user on the other node, so every timed keystroke crosses Redis. */
function pickWatcher(sender: LoadUser, others: LoadUser[]): LoadUser | undefined {
  return crossNode ? others.find((o) => o.node !== sender.node) : others[0]
}

function open(): void {
  openedAt = performance.now()
  tracker = new ArrivalTracker(users, openedAt, pickWatcher)
  windowKeystrokes = 0
  loopDelay.reset()
  loopDelay.enable()
}

async function close(drainMs: number): Promise<WindowReport> {
  const timed = tracker
  if (!timed) throw new Error('no window is open')
  tracker = undefined
  loopDelay.disable()
  const report = {
    keystrokes: windowKeystrokes,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    closeCodes: users.flatMap((u) => u.peer.closeCodes),
  }
  // Keystrokes timed before the close still count: wait for them (bounded), then count the rest as lost.
  await withTimeout(timed.drained(), drainMs, 'timed keystrokes').catch(() => undefined)
  timed.stop()
  const samples = timed.samples.map((ms) => Math.round(ms * 100) / 100)
  const slowest = timed.samples
    .map((ms, i) => ({ atMs: Math.round((timed.sentAt[i] ?? openedAt) - openedAt), ms: Math.round(ms) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST)
  return { ...report, samples, slowest, undelivered: timed.outstanding }
}

async function handle(req: HostRequest): Promise<HostReply> {
  switch (req.type) {
    case 'add':
      return { id: req.id, type: 'added', connectMs: await add(req.users, req.typing) }
    case 'open':
      open()
      return { id: req.id, type: 'opened' }
    case 'close':
      return { id: req.id, type: 'window', ...(await close(req.drainMs)) }
    case 'stop':
      tracker = undefined
      for (const user of users.splice(0)) user.destroy()
      return { id: req.id, type: 'stopped' }
  }
}

function reply(message: HostReply): void {
  process.send?.(message)
}

process.on('message', (req: HostRequest) => {
  handle(req)
    .then(reply)
    .catch((e: unknown) =>
      reply({ id: req.id, type: 'failed', error: e instanceof Error ? e.message : String(e) }),
    )
})
// The driver going away (even by SIGKILL) closes the channel: never outlive it.
process.on('disconnect', () => process.exit(0))
// An orderly exit on SIGTERM, so `--cpu-prof` (host-node-args) writes its profile.
process.on('SIGTERM', () => process.exit(0))
process.stdout.write('load host ready\n')
