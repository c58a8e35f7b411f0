import { Cleanup } from './cleanup'
import { startOneNode, startTwoNodes, type Cluster } from './load-cluster'
import { startUserHosts } from './load-hosts'
import { parseLoadOptions, type LoadOptions } from './load-options'
import { ramp } from './load-ramp'
import { formatLoadReport, type PhaseResult } from './load-report'
import { createWorkspace } from './workspace'

/**
 * `npm run bench:load`: ramps simulated users (real providers, each typing at human speed in one of many
 * documents and moving its cursor with every keystroke) against one node, then against two nodes over Redis,
 * until p99 keystroke latency passes the bound (100 ms). Prints the users and documents held, updates/s, CPU
 * and memory per node and what limited each phase; the last line is one JSON object. Exits non-zero on error.
 *
 * The users live in `hosts` child processes, not in this one (see `load-hosts.ts`); every server, host and
 * temp folder, and the two-node phase's Redis keys, are removed when a phase ends, on failure and on Ctrl-C.
 */
async function runPhase(
  name: PhaseResult['name'],
  start: (cleanup: Cleanup) => Promise<Cluster>,
  o: LoadOptions,
  cleanup: Cleanup,
): Promise<PhaseResult> {
  // Each phase tears down before the next starts, so one never loads the machine for the other.
  const phase = new Cleanup()
  cleanup.add(`tear down phase ${name}`, () => phase.run())
  try {
    const cluster = await start(phase)
    progress(`${name}: ${cluster.describe}`)
    const { workspace, users } = await createWorkspace(cluster.nodes[0]!.url, {
      documents: o.maxUsers / o.usersPerDoc,
      users: o.maxUsers,
    })
    const accounts = await Promise.all(
      users.map(async (u) => ({
        token: (await u.api.collab.token.mutate({ projectId: workspace.projectId })).token,
        user: { id: u.id, name: u.name },
      })),
    )
    const hosts = await startUserHosts(o.hosts, phase, o.hostNodeArgs.split(' ').filter(Boolean))
    const docNames = workspace.files.map((f) => f.docName)
    const result = await ramp({ cluster, hosts, docNames, accounts, options: o, progress })
    return { name, describe: cluster.describe, ...result, nodeErrors: cluster.nodes.map((n) => n.errors()) }
  } finally {
    await phase.run()
  }
}

async function run(o: LoadOptions, cleanup: Cleanup): Promise<PhaseResult[]> {
  const phases: PhaseResult[] = []
  const nodeArgs = o.serverNodeArgs.split(' ').filter(Boolean)
  if (o.phases !== 'two') {
    phases.push(await runPhase('oneNode', (c) => startOneNode(c, nodeArgs), o, cleanup))
  }
  if (o.phases !== 'one') {
    const start = (c: Cleanup) => startTwoNodes(c, { redisUrl: o.redisUrl, pgServer: o.pgServer, nodeArgs })
    phases.push(await runPhase('twoNodes', start, o, cleanup))
  }
  return phases
}

function progress(line: string): void {
  process.stderr.write(`[bench:load] ${line}\n`)
}

async function main(): Promise<number> {
  const options = parseLoadOptions()
  const cleanup = new Cleanup()
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)))
  process.once('SIGTERM', () => void cleanup.run().then(() => process.exit(143)))
  try {
    const phases = await run(options, cleanup)
    process.stdout.write(`${formatLoadReport(phases, options).join('\n')}\n`)
    return 0
  } finally {
    await cleanup.run()
  }
}

main()
  .then((code) => process.exit(process.exitCode ?? code))
  .catch((e: unknown) => {
    process.stderr.write(`bench:load failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  })
