import { describe, expect, it } from 'vitest'
import { runCommand, MAX_OUTPUT_CHARS } from './command-tool'
import { NO_TERMINAL, type CommandRunner } from './command-runner'
import type { ToolContext } from './tool-context'

/** A context with only what run_command uses. */
function ctx(commands: CommandRunner | null, allow: boolean): { ctx: ToolContext; asked: string[] } {
  const asked: string[] = []
  const c = {
    runId: 'r',
    projectId: 'p',
    requester: { id: 'u', name: 'Ann' },
    commands,
    commandTimeoutMs: 1000,
    signal: new AbortController().signal,
    stepId: 's1',
    files: { acknowledged: () => Promise.resolve() },
    external: <T>(p: Promise<T>) => p,
    approve: ({ text }: { text: string }) => {
      asked.push(text)
      return Promise.resolve(allow)
    },
  }
  return { ctx: c as unknown as ToolContext, asked }
}

describe('run_command', () => {
  it('without a workspace terminal says so, and asks no one', async () => {
    const { ctx: c, asked } = ctx(null, true)
    expect(await runCommand(c, 'npm test')).toBe(NO_TERMINAL)
    expect(asked).toEqual([])
  })

  it('sends the exit code and the end of a long output, saying what was cut', async () => {
    const output = `${'x'.repeat(MAX_OUTPUT_CHARS)}TAIL`
    const runner: CommandRunner = { run: () => Promise.resolve({ exitCode: 2, output, timedOut: false }) }
    const text = await runCommand(ctx(runner, true).ctx, 'npm test')
    expect(text).toMatch(/^exit code 2\n\(cut: the first 4 characters of output are not shown\)\n/)
    expect(text.endsWith('TAIL')).toBe(true)
  })

  it('counts what the runner cut of the output, and says how a killed command ended', async () => {
    const cutByRunner: CommandRunner = {
      run: () => Promise.resolve({ exitCode: 0, output: 'END', cutChars: 70_000, timedOut: false }),
    }
    expect(await runCommand(ctx(cutByRunner, true).ctx, 'yes')).toBe(
      'exit code 0\n(cut: the first 70000 characters of output are not shown)\nEND',
    )
    const killed: CommandRunner = {
      run: () => Promise.resolve({ exitCode: null, output: 'x', signal: 9, timedOut: false }),
    }
    expect(await runCommand(ctx(killed, true).ctx, 'a.out')).toBe('killed by signal 9\nx')
    const slow: CommandRunner = {
      run: () => Promise.resolve({ exitCode: null, output: 'x', signal: 9, timedOut: true }),
    }
    expect(await runCommand(ctx(slow, true).ctx, 'sleep 5')).toBe('timed out after 1 s (killed)\nx')
  })

  it('does not run a denied command', async () => {
    let ran = false
    const runner: CommandRunner = {
      run: () => {
        ran = true
        return Promise.resolve({ exitCode: 0, output: '', timedOut: false })
      },
    }
    expect(await runCommand(ctx(runner, false).ctx, 'rm -rf /')).toMatch(/denied/)
    expect(ran).toBe(false)
  })
})
