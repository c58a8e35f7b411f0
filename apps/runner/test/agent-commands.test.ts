import { describe, expect, it } from 'vitest'
import { EndMarker, MAX_COMMAND_OUTPUT, OutputTail, plainText } from '../src/terminals/commands'
import { connectTerminals, WAIT } from './fixtures'
import { newMirrorWorld } from './mirror-fixtures'

const ANN = { id: 'ann', name: 'Ann' }

function request(
  projectId: string,
  command: string,
  extra: { timeoutMs?: number; signal?: AbortSignal } = {},
) {
  return {
    projectId,
    runId: 'run-1',
    requester: ANN,
    command,
    timeoutMs: extra.timeoutMs ?? 20_000,
    signal: extra.signal ?? new AbortController().signal,
  }
}

describe("the agent's commands", () => {
  it('run in a terminal everyone sees, on the files as typed, and bring back the exit code, the output and the files the command wrote', async () => {
    const world = await newMirrorWorld()
    const file = await world.create('greet.sh', 'echo hi\n')
    const ann = world.peer(file.docName)
    await ann.synced()
    const watcher = await connectTerminals(world.server, world.owner, world.projectId)
    await watcher.next('hello')

    // Typed just now: the command must see it although the mirror's debounce has not passed.
    ann.text.insert(ann.text.length, 'echo "sum-$((40 + 2))" >&2\nprintf made > made.txt\nexit 3\n')
    const result = await world.runner.commands.run(request(world.projectId, 'bash greet.sh'))
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, cutChars: 0 })
    expect(result.output).toContain('$ bash greet.sh\nhi\nsum-42\n')
    expect(result.output).toContain('[exited with code 3]')
    // No escape sequences reach the model.
    expect(result.output).not.toContain('\x1b')
    // What the command wrote is a project file when the result comes back.
    expect(await world.paths()).toEqual(['greet.sh', 'made.txt'])
    expect(await world.read('made.txt')).toBe('made')

    const listed = watcher.messages.filter((m) => m.type === 'list').at(-1)
    expect(listed).toMatchObject({
      terminals: [{ kind: 'run', title: 'Mimi: bash greet.sh', createdBy: ANN, exit: { code: 3 } }],
    })
    const id = listed?.type === 'list' ? listed.terminals[0]!.id : ''
    await expect.poll(() => watcher.shown(id), WAIT).toContain('sum-42')

    // The run's next command replaces its ended terminal: a run holds one of the project's terminals.
    const second = await world.runner.commands.run(request(world.projectId, 'cat made.txt'))
    expect(second).toMatchObject({ exitCode: 0 })
    expect(second.output).toContain('made')
    const terminals = world.runner.terminals.manager.list(world.projectId)
    expect(terminals.map((t) => t.title)).toEqual(['Mimi: cat made.txt'])
  })

  it('kills a command past its timeout, and one whose run is stopped, with its whole sandbox', async () => {
    const world = await newMirrorWorld()
    const started = performance.now()
    const timedOut = await world.runner.commands.run(
      request(world.projectId, 'sleep 1000 & sleep 1000', { timeoutMs: 500 }),
    )
    expect(timedOut).toMatchObject({ exitCode: null, timedOut: true })
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(world.runner.terminals.manager.list(world.projectId)[0]?.exit?.signal).toBeGreaterThan(0)

    const stop = new AbortController()
    const running = world.runner.commands.run(
      request(world.projectId, 'echo started; sleep 1000', { signal: stop.signal }),
    )
    const outcome = running.then(
      () => 'finished',
      () => 'stopped',
    )
    await expect
      .poll(() => world.runner.terminals.manager.list(world.projectId)[0]?.title, WAIT)
      .toBe('Mimi: echo started; sleep 1000')
    stop.abort(new Error('stopped by Ann'))
    expect(await outcome).toBe('stopped')
    await expect
      .poll(() => world.runner.terminals.manager.list(world.projectId)[0]?.exit?.signal, WAIT)
      .toBeGreaterThan(0)
  })

  it('keeps the end of a long output, even when the terminal is held back as the command ends, and says how much was cut', async () => {
    // Throttled: the reader is paused when the command exits, and node-pty drops what is unread 200 ms after.
    const world = await newMirrorWorld({ env: { RUNNER_OUTPUT_BYTES_PER_SECOND: '40000' } })
    const result = await world.runner.commands.run(
      request(world.projectId, "head -c 100000 /dev/zero | tr '\\0' x; echo; echo THE-END"),
    )
    expect(result.exitCode).toBe(0)
    expect(result.output.length).toBeLessThanOrEqual(MAX_COMMAND_OUTPUT)
    expect(result.output).toMatch(/x\nTHE-END\n/)
    expect(result.cutChars).toBeGreaterThan(100_000 - MAX_COMMAND_OUTPUT)
  })

  it('answers with the reason when terminals are off', async () => {
    const world = await newMirrorWorld({ env: { RUNNER_TERMINALS: 'off' } })
    await expect(world.runner.commands.run(request(world.projectId, 'true'))).rejects.toThrow(
      /Terminals are off: terminals are turned off on this server/,
    )
  })
})

describe('command output as text', () => {
  it('finds the end marker split across chunks, and only with its token', () => {
    const marker = new EndMarker('t0k3n')
    expect(marker.scan('done\r\n\x1b]6973;other;0\x07 \x1b]697')).toBe(false)
    expect(marker.scan('3;t0k3n;1')).toBe(false)
    expect(marker.scan('7\x07')).toBe(true)
    expect(marker.code).toBe(17)
  })

  it('drops escape sequences, keeps the last state of a redrawn line, and bounds what it holds', () => {
    expect(plainText('\x1b[2m$ ls\x1b[0m\r\n\x1b]0;title\x07a\r\n10%\r50%\r100%\r\n')).toBe('$ ls\na\n100%\n')
    const tail = new OutputTail(10)
    for (let i = 0; i < 100; i++) tail.push('0123456789')
    tail.push('END')
    const { output, cut } = tail.text()
    expect(output).toBe('3456789END')
    expect(cut).toBe(1003 - 10)
  })
})
