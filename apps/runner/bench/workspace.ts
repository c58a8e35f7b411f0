import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { connectPeer, signUp, type Peer, type TestUser } from '@mimiverse/collab/testing'
import { sandboxUid } from '../src/terminals/sandbox'
import { connectTerminalClient, type TerminalClient } from '../src/testing/terminal-client'
import { screenModelBytes } from './screen-memory'
import { startBenchServer, type BenchServer } from './server'
import { pause, summarize } from './stats'

/**
 * `npm run bench:workspace`: the runner under its real sandbox, in the embedded server as its own process.
 *
 * 1. Terminal keystroke -> echo on another member's client (one character at a time, at typing pace).
 * 2. Memory per open terminal: the server's screen model with full scrollback (heap, measured in this process)
 *    and the sandbox processes' RSS for idle shells.
 * 3. 50 terminals flooding output (`yes`) with one member watching them all, while two other users type in a
 *    shared document: their keystroke latency against the same measure before the flood, and the terminal echo.
 *
 * Options (environment): BENCH_KEYSTROKES (200), BENCH_IDLE_TERMINALS (20), BENCH_FLOOD_TERMINALS (50),
 * BENCH_SECONDS (10, each typing phase). The last line printed is one JSON object.
 */
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200)
const IDLE_TERMINALS = Number(process.env.BENCH_IDLE_TERMINALS ?? 20)
const FLOOD_TERMINALS = Number(process.env.BENCH_FLOOD_TERMINALS ?? 50)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const UID_BASE = 1_000_000

const progress = (line: string) => process.stderr.write(`${line}\n`)

async function project(server: BenchServer, owner: TestUser, editor: TestUser, name: string) {
  const { id } = await owner.api.projects.create.mutate({ name })
  const { code } = await owner.api.projects.invite.mutate({ projectId: id, role: 'editor' })
  await editor.api.projects.join.mutate({ code })
  const client = async (user: TestUser) =>
    connectTerminalClient(server.url, id, (await user.api.collab.token.mutate({ projectId: id })).token)
  return { id, client }
}

/** Waits for a shell prompt in a terminal (its output ends with "$ "). */
async function prompt(client: TerminalClient, id: string): Promise<void> {
  while (!/\$ $/.test(client.shown(id))) await pause(20)
}

/** One character typed by `typist`, timed until `watcher` receives output holding it. */
async function echoLatency(typist: TerminalClient, watcher: TerminalClient, id: string, count: number) {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const char = String.fromCharCode(97 + (i % 26))
    const arrived = new Promise<void>((resolve) =>
      watcher.onMessage((m) => m.type === 'output' && m.id === id && m.data.includes(char) && resolve()),
    )
    const start = performance.now()
    typist.send({ type: 'input', id, data: char })
    await arrived
    samples.push(performance.now() - start)
    if (i % 40 === 39) typist.send({ type: 'input', id, data: '\x15' })
    await pause(30)
  }
  return summarize(samples)
}

/** Keystrokes (10/s) of one user arriving in another user's copy of the document, ms. */
async function collabLatency(typist: Peer, observer: Peer, seconds: number) {
  const sent: number[] = []
  const samples: number[] = []
  const onChange = () => {
    while (samples.length < Math.min(sent.length, observer.text.length - base)) {
      samples.push(performance.now() - sent[samples.length]!)
    }
  }
  const base = observer.text.length
  observer.text.observe(onChange)
  for (let i = 0; i < seconds * 10; i++) {
    sent.push(performance.now())
    typist.text.insert(typist.text.length, 'x')
    await pause(100)
  }
  while (samples.length < sent.length) await pause(20)
  observer.text.unobserve(onChange)
  return summarize(samples)
}

/** Resident memory of the processes of a host uid (a project's sandboxes), bytes. */
function sandboxRss(uid: number): number {
  const out = execFileSync('ps', ['-e', '-o', 'uid=,rss='], { encoding: 'utf8' })
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([u]) => u === uid)
    .reduce((sum, [, rss]) => sum + (rss ?? 0) * 1024, 0)
}

async function main() {
  const server = await startBenchServer({
    RUNNER_MAX_TERMINALS_PER_PROJECT: String(Math.max(FLOOD_TERMINALS, IDLE_TERMINALS) + 2),
    RUNNER_MAX_TERMINALS: String(FLOOD_TERMINALS + IDLE_TERMINALS + 10),
    RUNNER_MAX_PROCESSES: '512',
  })
  progress(`server ${server.url} (pid ${server.pid})`)
  try {
    const [ann, bob] = [await signUp(server.url, 'Ann'), await signUp(server.url, 'Bob')]

    progress(`echo: ${KEYSTROKES} keystrokes, Ann types, Bob watches`)
    const shell = await project(server, ann, bob, 'echo')
    const [annT, bobT] = [await shell.client(ann), await shell.client(bob)]
    const echoId = await annT.open()
    await prompt(annT, echoId)
    const echo = await echoLatency(annT, bobT, echoId, KEYSTROKES)

    progress(`memory: ${IDLE_TERMINALS} idle shells`)
    const idle = await project(server, ann, bob, 'idle')
    const idleT = await idle.client(ann)
    const idleIds: string[] = []
    for (let i = 0; i < IDLE_TERMINALS; i++) idleIds.push(await idleT.open())
    for (const id of idleIds) await prompt(idleT, id)
    const memory = {
      screenModelBytesPerTerminal: await screenModelBytes(IDLE_TERMINALS),
      sandboxBytesPerTerminal: Math.round(sandboxRss(sandboxUid(idle.id, UID_BASE)) / IDLE_TERMINALS),
    }
    for (const id of idleIds) idleT.send({ type: 'close', id })

    progress(`collab typing, before the flood: ${SECONDS} s`)
    const { id: docProject } = await ann.api.projects.create.mutate({ name: 'doc' })
    const { docName } = await ann.api.files.create.mutate({
      projectId: docProject,
      path: 'a.ts',
      content: '',
    })
    const token = async () => (await ann.api.collab.token.mutate({ projectId: docProject })).token
    const typist = connectPeer({ baseUrl: server.url, docName, token })
    const observer = connectPeer({ baseUrl: server.url, docName, token })
    await Promise.all([typist.synced(), observer.synced()])
    const collabBefore = await collabLatency(typist, observer, SECONDS)

    progress(`flood: ${FLOOD_TERMINALS} terminals running \`yes\`, Bob watching them all`)
    const flood = await project(server, ann, bob, 'flood')
    // Ann opens and types into the floods but is not counted as a watcher: her client stops listening to output.
    const [floodA, floodB] = [await flood.client(ann), await flood.client(bob)]
    let floodBytes = 0
    floodB.onMessage((m) => {
      if (m.type !== 'output') return
      floodBytes += m.data.length
      floodB.forget(m.id)
    })
    const floodIds: string[] = []
    for (let i = 0; i < FLOOD_TERMINALS; i++) floodIds.push(await floodA.open())
    for (const id of floodIds) await prompt(floodA, id)
    for (const id of floodIds) floodA.type(id, 'yes flood')
    floodA.close()
    await pause(2000)
    const floodStart = performance.now()
    const cpuStart = await server.cpuMs()
    const benchCpuStart = process.cpuUsage()
    floodBytes = 0
    const collabDuring = await collabLatency(typist, observer, SECONDS)
    const echoDuring = await echoLatency(annT, bobT, echoId, Math.min(KEYSTROKES, 100))
    const floodMs = performance.now() - floodStart
    const floodRate = Math.round(floodBytes / (floodMs / 1000))
    const serverCpuShare = Math.round((((await server.cpuMs()) - cpuStart) / floodMs) * 100) / 100
    const benchCpu = process.cpuUsage(benchCpuStart)
    const benchCpuShare = Math.round(((benchCpu.user + benchCpu.system) / 1000 / floodMs) * 100) / 100
    const floodKiller = await flood.client(ann)
    for (const id of floodIds) floodKiller.send({ type: 'kill', id })

    const result = {
      bench: 'workspace',
      loadAverage: loadavg()[0],
      terminalEcho: echo,
      memory,
      flood: {
        terminals: FLOOD_TERMINALS,
        outputCharsPerSecondToWatcher: floodRate,
        serverCoresBusy: serverCpuShare,
        benchClientsCoresBusy: benchCpuShare,
        collabKeystrokeBefore: collabBefore,
        collabKeystrokeDuring: collabDuring,
        terminalEchoDuring: echoDuring,
      },
    }
    progress(`terminal echo p50 ${echo.p50} ms, p99 ${echo.p99} ms`)
    progress(
      `memory per terminal: screen model ${memory.screenModelBytesPerTerminal} B, sandbox ${memory.sandboxBytesPerTerminal} B`,
    )
    progress(`collab keystroke p99: ${collabBefore.p99} ms before, ${collabDuring.p99} ms during the flood`)
    progress(`terminal echo during the flood: p50 ${echoDuring.p50} ms, p99 ${echoDuring.p99} ms`)
    progress(
      `during the flood: server ${serverCpuShare} cores busy, bench clients ${benchCpuShare}, ${floodRate} chars/s of output`,
    )
    typist.destroy()
    observer.destroy()
    for (const c of [annT, bobT, idleT, floodB, floodKiller]) c.close()
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await server.stop()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
