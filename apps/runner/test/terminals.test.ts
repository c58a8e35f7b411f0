import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CloseCode } from '@mimiverse/shared'
import { connectTerminals, newProject, newRunnerWorld, WAIT } from './fixtures'

describe('shared terminals', () => {
  it('shows output to every member live, and the current screen to one who joins later', async () => {
    const { server } = await newRunnerWorld()
    const { owner, projectId, member } = await newProject(server)
    const bob = await member('editor', 'Bob')
    const ann = await connectTerminals(server, owner, projectId)
    const bobs = await connectTerminals(server, bob, projectId)
    expect((await ann.next('hello')).available).toBe(true)
    const id = await ann.open()
    // The shell computes the answer, so seeing it proves the command ran (the echo of the line does not).
    ann.type(id, 'echo "answer-$((6 * 7))"')
    await expect.poll(() => ann.shown(id), WAIT).toContain('answer-42')
    await expect.poll(() => bobs.shown(id), WAIT).toContain('answer-42')
    expect((await bobs.next('typing', (m) => m.id === id)).user.name).toBe('Owner')

    const carol = await connectTerminals(server, await member('reviewer', 'Carol'), projectId)
    const screen = await carol.next('screen', (m) => m.id === id)
    expect(screen.data).toContain('answer-42')
    expect((await carol.next('hello')).terminals.map((t) => t.id)).toEqual([id])
  })

  it('refuses a reviewer’s keystrokes: they never reach the shell', async () => {
    const { server, workspacesDir } = await newRunnerWorld()
    const { owner, projectId, member } = await newProject(server)
    const dan = await connectTerminals(server, await member('reviewer', 'Dan'), projectId)
    const ann = await connectTerminals(server, owner, projectId)
    const id = await ann.open()
    await expect.poll(() => ann.shown(id), WAIT).toContain('$ ')
    expect((await dan.next('hello')).canWrite).toBe(false)
    dan.send({ type: 'input', id, data: 'touch reviewer-was-here\r' })
    dan.send({ type: 'open', cols: 80, rows: 24 })
    dan.send({ type: 'kill', id })
    await expect.poll(() => dan.messages.filter((m) => m.type === 'error').length, WAIT).toBe(3)
    // The owner's next line runs after anything the shell could have received before it.
    ann.type(id, 'ls; echo "listed-$((1 + 1))"')
    await expect.poll(() => ann.shown(id), WAIT).toContain('listed-2')
    expect(ann.shown(id)).not.toContain('reviewer-was-here')
    expect(existsSync(join(workspacesDir, projectId, 'reviewer-was-here'))).toBe(false)
    expect(ann.messages.filter((m) => m.type === 'list').at(-1)).toMatchObject({ terminals: [{ id }] })
  })

  it('runs a package.json script, shows how it ended, and kill ends a command from the panel', async () => {
    const { server } = await newRunnerWorld()
    const { owner, projectId } = await newProject(server)
    const ann = await connectTerminals(server, owner, projectId)
    const shell = await ann.open()
    ann.type(shell, `echo '{"scripts":{"greet":"echo greet-$((2 + 3))"}}' > package.json`)
    await expect.poll(() => ann.shown(shell), WAIT).toMatch(/\$ $/)
    const run = await ann.open('greet')
    await expect.poll(() => ann.shown(run), WAIT).toContain('greet-5')
    expect(await ann.next('exited', (m) => m.id === run)).toMatchObject({ code: 0, signal: 0 })

    ann.type(shell, 'sleep 1000')
    ann.send({ type: 'kill', id: shell })
    expect(await ann.next('exited', (m) => m.id === shell)).toMatchObject({ signal: 9 })
    ann.send({ type: 'close', id: shell })
    await ann.next('list', (m) => m.terminals.every((t) => t.id !== shell))
  })

  it('closes sockets with a bad token, another project’s token or garbage', async () => {
    const { server } = await newRunnerWorld()
    const { owner, projectId } = await newProject(server)
    const other = await newProject(server, 'Eve')
    const forged = await connectTerminals(server, owner, projectId, 'e30.bm90LWEtbWFj')
    expect((await forged.closed).code).toBe(CloseCode.Unauthorized)
    const otherToken = (await other.owner.api.collab.token.mutate({ projectId: other.projectId })).token
    const wrong = await connectTerminals(server, other.owner, projectId, otherToken)
    expect((await wrong.closed).code).toBe(CloseCode.Forbidden)
    const ann = await connectTerminals(server, owner, projectId)
    await ann.next('hello')
    ann.send({ type: 'input', id: 'not-an-id', data: 'x' })
    expect((await ann.closed).code).toBe(CloseCode.MalformedMessage)
  })

  it('says why when the sandbox does not work, and everything else keeps working', async () => {
    const { server } = await newRunnerWorld({ RUNNER_BWRAP: '/nonexistent/bwrap' })
    const { owner, projectId } = await newProject(server)
    const ann = await connectTerminals(server, owner, projectId)
    const hello = await ann.next('hello')
    expect(hello.available).toBe(false)
    expect(hello.reason).toMatch(/bubblewrap/)
    ann.send({ type: 'open', cols: 80, rows: 24 })
    expect((await ann.next('error')).message).toMatch(/bubblewrap/)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('hands files the server wrote (as root) over to the project, so commands can change them', async () => {
    const { server, workspacesDir } = await newRunnerWorld()
    const { owner, projectId } = await newProject(server)
    const tree = join(workspacesDir, projectId)
    await mkdir(join(tree, 'src'), { recursive: true, mode: 0o700 })
    await writeFile(join(tree, 'src', 'notes.txt'), 'from the editor\n', { mode: 0o644 })
    const ann = await connectTerminals(server, owner, projectId)
    const id = await ann.open()
    ann.type(id, 'echo from-the-shell >> src/notes.txt && echo "appended-$((1 + 1))"')
    await expect.poll(() => ann.shown(id), WAIT).toContain('appended-2')
    expect(await readFile(join(tree, 'src', 'notes.txt'), 'utf8')).toBe('from the editor\nfrom-the-shell\n')
  })
})
