import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { newAgentWorld, type AgentWorld } from './agent-world'
import { approvalAsked, calls, lastToolResult, taskEnded } from './agent-task-world'
import { WAIT } from './fixtures'

/**
 * Task runs with the real workspace runner mounted as in the embedded default: the agent's commands run in a
 * shared, sandboxed terminal on the project's working tree, which the mirror keeps equal to the documents.
 */
const CLI = 'greet() {\n  echo "hi $1"\n}\n'
const TEST =
  '. ./cli.sh\n[ "$(greet a v)" = "hello, a" ] && echo PASS || { echo "FAIL: $(greet a v)"; exit 1; }\n'

let world: AgentWorld
beforeAll(async () => {
  world = await newAgentWorld(
    { AGENT_BATCH_MS: '10', AGENT_PER_MINUTE: '1000', AGENT_COMMAND_TIMEOUT_MS: '2000' },
    {},
    { withRunner: true },
  )
}, 60_000)
afterAll(() => world.close())

describe('agent.task with the workspace terminal', () => {
  it('runs a failing test in a terminal everyone sees, fixes the code and runs it green while a human types', async () => {
    const cliDoc = await world.file('cli.sh', CLI)
    await world.file('test.sh', TEST)
    const human = world.peer(cliDoc)
    await human.synced()
    const verbose = 'greet() {\n  if [ -n "$2" ]; then echo "hello $1"; else echo "hi $1"; fi\n}'
    world.ollama.turns = [
      {
        content: '1. Read the code\n2. Add the flag\n3. Run the test',
        toolCalls: calls(['read_file', { path: 'cli.sh' }], ['read_file', { path: 'test.sh' }]),
      },
      () => {
        // A comment typed above the lines the agent is about to rewrite.
        human.text.insert(0, '# greeting\n')
        return {
          toolCalls: calls([
            'edit_file',
            { path: 'cli.sh', edits: [{ old_text: CLI.trimEnd(), new_text: verbose }] },
          ]),
        }
      },
      { toolCalls: calls(['run_command', { command: 'bash test.sh' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/^exit code 1\n[^]*FAIL: hello a/)
        human.text.insert(human.text.length, '# end\n')
        return {
          toolCalls: calls([
            'edit_file',
            { path: 'cli.sh', edits: [{ old_text: 'echo "hello $1"', new_text: 'echo "hello, $1"' }] },
          ]),
        }
      },
      { toolCalls: calls(['run_command', { command: 'bash test.sh' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/^exit code 0\n[^]*PASS/)
        return { content: 'Added the verbose flag; the test passes.' }
      },
    ]
    const { runId } = await world.ai.agent.task.mutate({
      projectId: world.projectId,
      instruction: 'add a verbose flag',
    })
    const stepId = await approvalAsked(world, runId)
    await world.ai.agent.approve.mutate({ runId, stepId, decision: 'always' })
    const { run } = await taskEnded(world, runId, 25_000)
    expect(run.state).toBe('done')
    const expected = `# greeting\n${verbose.replace('"hello $1"', '"hello, $1"')}\n# end\n`
    await vi.waitFor(() => expect(human.text.toString()).toBe(expected), WAIT)
    expect(await world.read('cli.sh')).toBe(expected)
    // The command ran in a terminal of the project, named for the agent, acting for the requester.
    const terminals = world.runner!.terminals.manager.list(world.projectId)
    expect(terminals).toMatchObject([
      { kind: 'run', title: 'Mimi: bash test.sh', createdBy: { name: 'Ann' }, exit: { code: 0 } },
    ])
  })

  it("show_diff is the workspace's git diff once it is a repository, and the run's own diff before", async () => {
    await world.file('notes.txt', 'one\n')
    const diffAfter = (from: string, to: string) => [
      { toolCalls: calls(['read_file', { path: 'notes.txt' }]) },
      {
        toolCalls: calls(
          ['edit_file', { path: 'notes.txt', edits: [{ old_text: from, new_text: to }] }],
          ['show_diff', {}],
        ),
      },
      (messages: { role: string; content: string }[]) => ({ content: lastToolResult(messages) }),
    ]
    const diffOfRun = async () => {
      const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'edit' })
      const { run } = await taskEnded(world, runId, 25_000)
      expect(run.state).toBe('done')
      return run.message
    }

    world.ollama.turns = diffAfter('one', 'two')
    expect(await diffOfRun()).toBe(
      'diff notes.txt\n--- a/notes.txt\n+++ b/notes.txt\n@@ -1,1 +1,1 @@\n-one\n+two',
    )

    const git = world.runner!.git
    await git.init(world.projectId)
    await git.stage(world.projectId, { paths: ['notes.txt'], hunks: [] })
    await git.commit(world.projectId, {
      message: 'notes',
      committer: { id: world.owner.id, name: 'Ann', email: 'ann@example.com' },
    })
    world.ollama.turns = diffAfter('two', 'three')
    // Everyone's uncommitted changes: the earlier tests' files show as untracked.
    const diff = await diffOfRun()
    expect(diff).toMatch(/^git diff \(the workspace against its last commit, everyone's changes\):\n/)
    expect(diff).toContain('--- a/notes.txt\n+++ b/notes.txt\n@@ -1 +1 @@\n-two\n+three\n')
  })

  it('kills a command that runs past its timeout and tells the model', async () => {
    world.ollama.turns = [
      { toolCalls: calls(['run_command', { command: 'echo waiting; sleep 1000' }]) },
      (messages) => {
        expect(lastToolResult(messages)).toMatch(/^timed out after 2 s \(killed\)\n[^]*waiting/)
        return { content: 'It hangs.' }
      },
    ]
    await world.ai.agent.settings.mutate({ projectId: world.projectId, allowCommands: true })
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'wait' })
    const { run } = await taskEnded(world, runId, 25_000)
    expect(run.state).toBe('done')
    expect(world.runner!.terminals.manager.list(world.projectId).at(-1)?.exit?.signal).toBeGreaterThan(0)
  })

  it('stopping the run kills its command', async () => {
    world.ollama.turns = [{ toolCalls: calls(['run_command', { command: 'echo started; sleep 1000' }]) }]
    await world.ai.agent.settings.mutate({ projectId: world.projectId, allowCommands: true })
    const { runId } = await world.ai.agent.task.mutate({ projectId: world.projectId, instruction: 'hang' })
    const manager = world.runner!.terminals.manager
    const command = () =>
      manager.list(world.projectId).find((t) => t.title === 'Mimi: echo started; sleep 1000')
    await vi.waitFor(() => expect(command()).toBeDefined(), WAIT)
    expect(command()?.exit).toBeUndefined()
    await world.ai.agent.cancel.mutate({ runId })
    const { run } = await taskEnded(world, runId)
    expect(run.state).toBe('cancelled')
    await vi.waitFor(() => expect(command()?.exit?.signal).toBeGreaterThan(0), WAIT)
  })
})
