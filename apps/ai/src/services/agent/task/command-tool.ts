import { NO_TERMINAL } from './command-runner'
import type { ToolContext } from './tool-context'

/** Most characters of a command's output sent to the model: its end, where the errors and the summary are. */
export const MAX_OUTPUT_CHARS = 8_000

/**
 * `run_command`: asks an editor (unless the project allows commands, or they chose "Always for this run"),
 * makes sure the workspace has every edit of the run, runs the command in the shared terminal and returns its
 * exit code and the end of its output. Without a terminal it says so, before asking anyone.
 */
export async function runCommand(ctx: ToolContext, command: string): Promise<string> {
  const runner = ctx.commands
  if (!runner) return NO_TERMINAL
  if (!(await ctx.approve({ kind: 'command', text: command, stepId: ctx.stepId }))) {
    return `An editor denied running \`${command}\`; it was not run. Do not ask for it again: go on without it, or finish and say what is left to do.`
  }
  await ctx.external(ctx.files.acknowledged())
  const r = await ctx.external(
    runner.run({
      projectId: ctx.projectId,
      runId: ctx.runId,
      requester: ctx.requester,
      command,
      timeoutMs: ctx.commandTimeoutMs,
      signal: ctx.signal,
    }),
  )
  const out = r.output
  const shown = out.length > MAX_OUTPUT_CHARS ? out.slice(out.length - MAX_OUTPUT_CHARS) : out
  const cut = (r.cutChars ?? 0) + out.length - shown.length
  const status = r.timedOut
    ? `timed out after ${Math.round(ctx.commandTimeoutMs / 1000)} s (killed)`
    : r.exitCode === null && r.signal
      ? `killed by signal ${r.signal}`
      : `exit code ${r.exitCode ?? 'none'}`
  return `${status}\n${cut > 0 ? `(cut: the first ${cut} characters of output are not shown)\n` : ''}${shown}`
}
