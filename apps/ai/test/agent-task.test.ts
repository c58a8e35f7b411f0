import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { AGENT_USER_ID } from '@mimiverse/shared'
import { newAgentWorld, type AgentWorld } from './agent-world'
import {
  approvalAsked,
  calls,
  lastToolResult,
  newFakeTerminal,
  taskEnded,
  type FakeTerminal,
} from './agent-task-world'
import { aiClient, errorOf, WAIT } from './fixtures'

const CLI = 'export function greet(name) {\n  return "hi " + name\n}\n'
const TEST = "import { greet } from './cli'\n\ntest('greets', () => expect(greet('a')).toBe('hi a'))\n"
const VERBOSE = 'export function greet(name, verbose) {\n  return (verbose ? "hello " : "hi ") + name\n}'

let world: AgentWorld
let terminal: FakeTerminal
let n = 0
beforeAll(async () => {
  terminal = newFakeTerminal()
  world = await newAgentWorld(
    { AGENT_BATCH_MS: '10', AGENT_PER_MINUTE: '1000', AGENT_MAX_STEPS: '7' },
    { commands: terminal },
  )
}, 60_000)
afterAll(() => world.close())
beforeEach(() => {
  world.ollama.turns = []
  terminal.calls = []
  terminal.results = []
})

/** Two fresh files (in a folder of their own, one task per project at a time) and a human in the first. */
async function twoFiles() {
  const dir = `t${++n}`
  const cli = `${dir}/cli.ts`
  const test = `${dir}/cli.test.ts`
  const cliDoc = await world.file(cli, CLI)
  const testDoc = await world.file(test, TEST)
  const human = world.peer(cliDoc)
  await human.synced()
  return { cli, test, cliDoc, testDoc, human }
}

describe('agent.task', () => {
  it('reads two files, edits both, runs a failing test, fixes it and runs it green while a human types: every keystroke kept', async () => {
    const { cli, test, testDoc, human } = await twoFiles()
    const other = world.peer(testDoc)
    await other.synced()
    const type = (t: typeof human.text, at: string, s: string) =>
      t.insert(t.toString().indexOf(at) + at.length, s)
    terminal.results = [
      { exitCode: 1, output: 'FAIL greets verbosely: expected "hello, a"', timedOut: false },
      { exitCode: 0, output: '2 passed', timedOut: false },
    ]
    world.ollama.turns = [
      {
        content: '1. Read the code\n2. Add the flag\n3. Test it',
        toolCalls: calls(['read_file', { path: cli }], ['read_file', { path: test }]),
      },
      (messages) => {
        expect(messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
          `${cli}:\n${CLI}`,
          `${test}:\n${TEST}`,
        ])
        // Typed after the model read the file, inside the lines it is about to rewrite and above them.
        type(human.text, '}', ' // end')
        human.text.insert(0, '// cli\n')
        return {
          toolCalls: calls([
            'edit_file',
            { path: cli, edits: [{ old_text: CLI.trimEnd(), new_text: VERBOSE }] },
          ]),
        }
      },
      {
        toolCalls: calls([
          'edit_file',
          {
            path: test,
            edits: [
              {
                old_text: "'hi a'))",
                new_text: "'hi a'))\ntest('verbose', () => expect(greet('a', true)).toBe('hello, a'))",
              },
            ],
          },
        ]),
      },
      { toolCalls: calls(['run_command', { command: 'npm test' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/^exit code 1\nFAIL greets verbosely/)
        type(other.text, "toBe('hi a'))", ' // mine')
        // Quotes its own edit, which is not in the version it read.
        return {
          toolCalls: calls([
            'edit_file',
            { path: cli, edits: [{ old_text: '"hello "', new_text: '"hello, "' }] },
          ]),
        }
      },
      { toolCalls: calls(['run_command', { command: 'npm test' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toBe('exit code 0\n2 passed')
        return { content: 'Added the verbose flag and its test; the tests pass.' }
      },
    ]

    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'add a verbose flag and a test',
    })
    const stepId = await approvalAsked(world, runId)
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'always' })
    const { run, events } = await taskEnded(world, runId)

    expect(run).toMatchObject({ state: 'done', kind: 'task', steps: 7, review: 'pending' })
    expect(run.message).toMatch(/tests pass/)
    const expectedCli = `// cli\n${VERBOSE.replace('"hello "', '"hello, "')} // end\n`
    const expectedTest = TEST.replace(
      "'hi a'))",
      "'hi a')) // mine\ntest('verbose', () => expect(greet('a', true)).toBe('hello, a'))",
    )
    await vi.waitFor(() => expect(human.text.toString()).toBe(expectedCli), WAIT)
    await vi.waitFor(() => expect(other.text.toString()).toBe(expectedTest), WAIT)
    expect(await world.read(cli)).toBe(expectedCli)
    expect(await world.read(test)).toBe(expectedTest)
    expect(terminal.calls.map((c) => c.command)).toEqual(['npm test', 'npm test'])
    expect(terminal.calls[0]!.requester.name).toBe('Ann')
    expect(run.files.map((f) => f.path).sort()).toEqual([test, cli].sort())
    // The plan and every step, in order, for everyone.
    expect(events[0]).toMatchObject({
      seq: 1,
      type: 'plan',
      data: { text: expect.stringMatching(/^1\. Read/) },
    })
    const steps = events.filter((e) => e.type === 'step').map((e) => e.data.tool)
    expect(steps).toEqual([
      'read_file',
      'read_file',
      'edit_file',
      'edit_file',
      'run_command',
      'edit_file',
      'run_command',
    ])
    expect(events.filter((e) => e.type === 'result').every((e) => e.data.ok === true)).toBe(true)
    expect(events.find((e) => e.type === 'decision')).toMatchObject({
      stepId,
      data: { decision: 'always', by: 'Ann' },
    })
    expect(events.filter((e) => e.type === 'approval')).toHaveLength(1)
    expect(events.at(-1)).toMatchObject({ type: 'end', data: { state: 'done' } })
  })

  it('publishes the file it works in, as people do, so followers move with it; and leaves at the end', async () => {
    const { cli, test, human } = await twoFiles()
    const seen: string[] = []
    const agentFile = () => {
      for (const [id, s] of human.provider.awareness!.getStates()) {
        const user = s.user as { id?: string } | undefined
        if (id !== human.doc.clientID && user?.id === AGENT_USER_ID)
          return (s.file as { path?: string } | undefined)?.path
      }
      return undefined
    }
    human.provider.awareness!.on('change', () => {
      const f = agentFile()
      if (f && seen.at(-1) !== f) seen.push(f)
    })
    // Each turn waits until the follower has seen the agent in the file it just read.
    const seenIn = (path: string) => vi.waitFor(() => expect(seen.at(-1)).toBe(path), WAIT)
    world.ollama.turns = [
      { toolCalls: calls(['read_file', { path: cli }]) },
      async () => {
        await seenIn(cli)
        return { toolCalls: calls(['read_file', { path: test }]) }
      },
      async () => {
        await seenIn(test)
        return { content: 'done' }
      },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'look around',
    })
    await vi.waitFor(() => expect(seen).toEqual([cli, test]), WAIT)
    await taskEnded(world, runId)
    await vi.waitFor(() => expect(agentFile()).toBeUndefined(), WAIT)
  })

  it('a denied command reaches the model as text and the run goes on', async () => {
    const { cli } = await twoFiles()
    world.ollama.turns = [
      { content: 'Plan: run the tests', toolCalls: calls(['run_command', { command: 'rm -rf /' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/denied running `rm -rf \/`; it was not run/)
        return { toolCalls: calls(['read_file', { path: cli }]) }
      },
      { content: 'I did not run it.' },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'clean up',
    })
    const stepId = await approvalAsked(world, runId)
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'deny' })
    const { run, events } = await taskEnded(world, runId)
    expect(run.state).toBe('done')
    expect(terminal.calls).toEqual([])
    expect(events.filter((e) => e.type === 'step').map((e) => e.data.tool)).toEqual([
      'run_command',
      'read_file',
    ])
    expect(events.find((e) => e.type === 'decision')?.data).toEqual({ decision: 'deny', by: 'Ann' })
  })

  it('a tool error goes back to the model; a model error mid-run stops the run with whole documents', async () => {
    const { cli, human } = await twoFiles()
    world.ollama.turns = [
      {
        toolCalls: calls(
          ['edit_file', { path: cli, edits: [{ old_text: 'not in the file', new_text: 'x' }] }],
          ['read_file', {}],
          ['nope', {}],
        ),
      },
      (messages) => {
        const results = messages.filter((m) => m.role === 'tool').map((m) => m.content)
        expect(results[0]).toMatch(/^Error: nothing was changed: edit 1: old_text was not found/)
        expect(results[1]).toMatch(/^Error: invalid arguments for read_file: path:/)
        expect(results[2]).toMatch(/^Error: there is no tool "nope"/)
        return {
          toolCalls: calls(['edit_file', { path: cli, edits: [{ old_text: '"hi "', new_text: '"hey "' }] }]),
        }
      },
      { error: 'runner crashed' },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'greet better',
    })
    const { run, events } = await taskEnded(world, runId)
    expect(run.state).toBe('failed')
    expect(run.message).toMatch(/runner crashed/)
    const expected = CLI.replace('"hi "', '"hey "')
    await vi.waitFor(() => expect(human.text.toString()).toBe(expected), WAIT)
    expect(await world.read(cli)).toBe(expected)
    expect(events.filter((e) => e.type === 'result').map((e) => e.data.ok)).toEqual([
      false,
      false,
      false,
      true,
    ])
  })

  it('undo of the whole run keeps the edits people made meanwhile; accept and undo per file', async () => {
    const { cli, test, testDoc, human } = await twoFiles()
    const other = world.peer(testDoc)
    await other.synced()
    world.ollama.turns = [
      {
        toolCalls: calls(
          [
            'edit_file',
            { path: cli, edits: [{ old_text: 'return "hi " + name', new_text: 'return `hi ${name}`' }] },
          ],
          ['edit_file', { path: test, edits: [{ old_text: "'hi a'", new_text: "'hi  a'" }] }],
          ['create_file', { path: `${cli}.md`, content: '# cli\n' }],
        ),
      },
      { content: 'done' },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'templates',
    })
    const { run } = await taskEnded(world, runId)
    expect(run.files).toHaveLength(3)
    await vi.waitFor(() => expect(human.text.toString()).toContain('`hi ${name}`'), WAIT)
    human.text.insert(0, '// mine\n')
    human.text.insert(human.text.toString().lastIndexOf('}') + 1, ' // ok')
    other.text.insert(other.text.length, '// also mine\n')
    await human.acknowledged()
    await other.acknowledged()

    const reviewer = await world.member('reviewer', `Rita${n}`)
    const asReviewer = aiClient(world.server.url, reviewer.token)
    expect(await errorOf(asReviewer.agent.undo.mutate({ runId }))).toMatchObject({ code: 'FORBIDDEN' })

    const accepted = await world.ai.agent.accept.mutate({ runId, path: test })
    expect(accepted).toMatchObject({ review: 'partial' })
    const undone = await world.ai.agent.undo.mutate({ runId })
    expect(undone).toMatchObject({ review: 'partial' })
    expect(
      (undone as { files: { path: string; review: string }[] }).files.map((f) => f.review).sort(),
    ).toEqual(['accepted', 'undone', 'undone'])
    const expectedCli = `// mine\n${CLI.replace('}', '} // ok')}`
    await vi.waitFor(() => expect(human.text.toString()).toBe(expectedCli), WAIT)
    expect(await world.read(cli)).toBe(expectedCli)
    // The accepted file keeps the agent's edit; the file it created is gone again.
    expect(await world.read(test)).toBe(`${TEST.replace("'hi a'", "'hi  a'")}// also mine\n`)
    expect(await errorOf(world.read(`${cli}.md`))).toMatchObject({ code: 'NOT_FOUND' })
    expect(await errorOf(world.ai.agent.undo.mutate({ runId }))).toMatchObject({ code: 'CONFLICT' })
  })

  it('undo of the whole run also reverts its renames and deletions, keeping what people typed since', async () => {
    const { cli, test, testDoc } = await twoFiles()
    const renamed = test.replace('cli.test.ts', 'renamed.test.ts')
    world.ollama.turns = [
      {
        toolCalls: calls(
          ['edit_file', { path: cli, edits: [{ old_text: '"hi "', new_text: '"hey "' }] }],
          ['rename_file', { path: test, new_path: renamed }],
        ),
      },
      { toolCalls: calls(['delete_file', { path: cli }]) },
      { content: 'done' },
    ]
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'tidy' })
    const stepId = await approvalAsked(world, runId)
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'once' })
    expect((await taskEnded(world, runId)).run.state).toBe('done')
    expect(await errorOf(world.read(cli))).toMatchObject({ code: 'NOT_FOUND' })
    // Someone keeps working in the renamed file.
    const other = world.peer(testDoc)
    await other.synced()
    other.text.insert(other.text.length, '// after\n')
    await other.acknowledged()

    await world.ai.agent.undo.mutate({ runId })
    expect(await world.read(test)).toBe(`${TEST}// after\n`)
    expect(await errorOf(world.read(renamed))).toMatchObject({ code: 'NOT_FOUND' })
    // Back as it was before the run: its text as deleted, less the run's own edit.
    expect(await world.read(cli)).toBe(CLI)
    expect(await errorOf(world.ai.agent.undo.mutate({ runId }))).toMatchObject({ code: 'CONFLICT' })
  })

  it('a reviewer watches but can neither start a run nor approve a command', async () => {
    await twoFiles()
    const reviewer = await world.member('reviewer', `Rob${n}`)
    const asReviewer = aiClient(world.server.url, reviewer.token)
    expect(
      await errorOf(asReviewer.agent.task.mutate({ projectId: world.projectId, instruction: 'do it' })),
    ).toMatchObject({ code: 'FORBIDDEN' })
    world.ollama.turns = [{ toolCalls: calls(['run_command', { command: 'npm test' }]) }]
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'test' })
    const stepId = await approvalAsked(world, runId)
    expect((await asReviewer.agent.events.query({ runId })).events.some((e) => e.type === 'approval')).toBe(
      true,
    )
    expect(await errorOf(asReviewer.agent.approve.mutate({ runId, stepId, decision: 'once' }))).toMatchObject(
      { code: 'FORBIDDEN' },
    )
    expect(await errorOf(asReviewer.agent.cancel.mutate({ runId }))).toMatchObject({ code: 'FORBIDDEN' })
    const cancelled = await world.ai.agent.cancel.mutate({ runId })
    expect(cancelled.state).toBe('cancelled')
    expect(terminal.calls).toEqual([])
    const { runs, tasks } = await asReviewer.agent.runs.query({ projectId: world.projectId })
    expect(Array.isArray(runs)).toBe(true)
    expect(tasks.find((t) => t.runId === runId)?.state).toBe('cancelled')
  })

  it('works on one task at a time per project, even when two start at once', async () => {
    await twoFiles()
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    world.ollama.turns = [
      async () => {
        await gate
        return { content: 'done' }
      },
    ]
    const started: string[] = []
    const start = () =>
      errorOf(
        world.ai.agent.task
          .mutate({ projectId: world.projectId, instruction: 'one' })
          .then(({ runId }) => void started.push(runId)),
      )
    const errors = await Promise.all([start(), start()])
    expect(started).toHaveLength(1)
    expect(errors.filter(Boolean)).toEqual([expect.objectContaining({ code: 'CONFLICT' })])
    release()
    expect((await taskEnded(world, started[0]!)).run.state).toBe('done')
  })

  it('runs commands unasked once the owner allows it, which editors cannot', async () => {
    await twoFiles()
    const editor = await world.member('editor', `Eve${n}`)
    const asEditor = aiClient(world.server.url, editor.token)
    const allow = { projectId: world.projectId, allowCommands: true }
    expect(await errorOf(asEditor.agent.settings.mutate(allow))).toMatchObject({ code: 'FORBIDDEN' })
    await world.ai.agent.settings.mutate(allow)
    try {
      world.ollama.turns = [{ toolCalls: calls(['run_command', { command: 'npm test' }]) }, { content: 'ok' }]
      const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 't' })
      const { events } = await taskEnded(world, runId)
      expect(terminal.calls.map((c) => c.command)).toEqual(['npm test'])
      expect(events.some((e) => e.type === 'approval')).toBe(false)
    } finally {
      await world.ai.agent.settings.mutate({ ...allow, allowCommands: false })
    }
  })

  it('the step limit stops a model that loops', async () => {
    await twoFiles()
    world.ollama.turns = Array.from({ length: 20 }, () => ({ toolCalls: calls(['list_files', {}]) }))
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'loop' })
    const { run, events } = await taskEnded(world, runId)
    expect(run).toMatchObject({ state: 'failed', steps: 7 })
    expect(run.message).toMatch(/step limit/)
    expect(events.filter((e) => e.type === 'step')).toHaveLength(7)
    expect(world.ollama.turns).toHaveLength(13)
  })
})
