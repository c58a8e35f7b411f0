import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sandboxUid } from '../src/terminals/sandbox'
import { connectTerminals, newProject, newRunnerWorld, onCleanup, WAIT } from './fixtures'

/** Processes running as a host uid (the project's sandbox uid), counted with ps. */
function processesOf(uid: number): number {
  const out = execFileSync('ps', ['-e', '-o', 'uid='], { encoding: 'utf8' })
  return out.split('\n').filter((line) => Number(line.trim()) === uid).length
}

async function listen(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0
  const server = createServer((socket) => {
    connections++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(() => new Promise((resolve) => server.close(resolve)))
  const port = (server.address() as { port: number }).port
  return { server, port, connections: () => connections }
}

describe('the sandbox', () => {
  it('hides the server’s secret, data, environment and other projects, and has no network', async () => {
    process.env.MIMI_TEST_LEAK = 'server-only-value'
    onCleanup(() => delete process.env.MIMI_TEST_LEAK)
    const { server, dataDir, workspacesDir } = await newRunnerWorld()
    const { owner, projectId } = await newProject(server)
    await writeFile(join(dataDir, 'secret'), 'top-secret-value\n')
    await mkdir(join(workspacesDir, 'other-project'), { recursive: true })
    await writeFile(join(workspacesDir, 'other-project', 'private.txt'), 'other-project-value\n')
    const host = await listen()

    const ann = await connectTerminals(server, owner, projectId)
    const id = await ann.open()
    const probes = [
      `cat ${dataDir}/secret ${workspacesDir}/other-project/private.txt ../other-project/private.txt`,
      `ls ${dataDir} ${workspacesDir}`,
      'env | grep -c server-only-value',
      `(exec 3<>/dev/tcp/127.0.0.1/${host.port}) && echo "net-$((1 + 1))-open" || echo "net-$((1 + 1))-closed"`,
      'touch /usr/x /etc/x /x 2>&1 | grep -c -e "Read-only" -e "Permission denied"',
      'echo "done-$((3 * 3))"',
    ]
    ann.type(id, probes.join('; '))
    await expect.poll(() => ann.shown(id), WAIT).toContain('done-9')
    const screen = ann.shown(id)
    expect(screen).not.toContain('top-secret-value')
    expect(screen).not.toContain('other-project-value')
    expect(screen).toContain('net-2-closed')
    expect(screen).not.toContain('net-2-open')
    expect(host.connections()).toBe(0)
    // `env | grep -c` counted no line with the server's value; the three writes outside the tree failed.
    expect(screen).toMatch(/\r\n0\r\n/)
    expect(screen).toMatch(/\r\n3\r\n/)
  })

  it('survives a fork bomb and an output flood: the server answers, other terminals echo, kill ends both', async () => {
    const { server } = await newRunnerWorld()
    const { owner, projectId } = await newProject(server)
    const other = await newProject(server, 'Olga')
    const ann = await connectTerminals(server, owner, projectId)
    const olga = await connectTerminals(server, other.owner, other.projectId)
    const bomb = await ann.open()
    const flood = await ann.open()
    const calm = await olga.open()
    await expect.poll(() => ann.shown(bomb), WAIT).toMatch(/\$ $/)
    await expect.poll(() => ann.shown(flood), WAIT).toMatch(/\$ $/)
    // The flood first: once the bomb holds every process the project may have, `yes` could not start.
    ann.type(flood, 'yes flood-line')
    await expect.poll(() => ann.shown(flood), WAIT).toContain('flood-line\r\nflood-line')
    ann.type(bomb, ':(){ :|:& };:')
    const uid = sandboxUid(projectId, 1_000_000)
    // The bomb reaches the project's process limit (64 in tests) and stays there.
    await expect.poll(() => processesOf(uid), WAIT).toBeGreaterThanOrEqual(50)
    await expect.poll(() => ann.shown(flood).length, WAIT).toBeGreaterThan(100_000)

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    olga.type(calm, 'echo "calm-$((5 + 5))"')
    await expect.poll(() => olga.shown(calm), WAIT).toContain('calm-10')
    expect(processesOf(uid)).toBeLessThanOrEqual(64)

    ann.send({ type: 'kill', id: bomb })
    ann.send({ type: 'kill', id: flood })
    await ann.next('exited', (m) => m.id === bomb)
    await ann.next('exited', (m) => m.id === flood)
    await expect.poll(() => processesOf(uid), WAIT).toBe(0)
  })

  it('holds the output of all terminals together to the node’s budget', async () => {
    const { server } = await newRunnerWorld({ RUNNER_NODE_OUTPUT_BYTES_PER_SECOND: '65536' })
    const { owner, projectId } = await newProject(server)
    const ann = await connectTerminals(server, owner, projectId)
    const ids = [await ann.open(), await ann.open(), await ann.open(), await ann.open()]
    for (const id of ids) await expect.poll(() => ann.shown(id), WAIT).toMatch(/\$ $/)
    let bytes = 0
    ann.onMessage((m) => {
      if (m.type === 'output') bytes += m.data.length
    })
    for (const id of ids) ann.type(id, 'yes flood')
    const start = Date.now()
    await expect.poll(() => bytes, { ...WAIT, timeout: 40_000 }).toBeGreaterThan(1_200_000)
    const seconds = (Date.now() - start) / 1000
    // At most the bulk budget (64 KiB/s) and the quiet terminals' budget (64 KiB/s), each with a second's burst,
    // and one PTY read per terminal beyond them; without the node's budget the four would print 512 KiB/s.
    const allowance = 2 * 65_536 + ids.length * 65_536
    expect(seconds).toBeGreaterThanOrEqual((bytes - allowance) / (2 * 65_536))
    for (const id of ids) ann.send({ type: 'kill', id })
  })
})
