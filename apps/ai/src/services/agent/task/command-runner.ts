/**
 * How the agent runs a command in a terminal of the project's workspace that everyone sees. The workspace
 * runner provides the implementation; until one is configured the agent has none, and `run_command` tells the
 * model so. The runner owns the sandbox and its limits; the agent bounds what it sends back to the model.
 */
export interface CommandRunner {
  run(req: CommandRequest): Promise<CommandResult>
}

export interface CommandRequest {
  projectId: string
  runId: string
  /** The person the agent acts for: the terminal is theirs, with their rights in the project. */
  requester: { id: string; name: string }
  command: string
  timeoutMs: number
  signal: AbortSignal
}

export interface CommandResult {
  /** Null when the command did not exit by itself (timed out, cancelled). */
  exitCode: number | null
  /** Terminal output (stdout and stderr as shown), or its end when the runner cut it. */
  output: string
  /** Characters of output before `output` that the runner dropped (its own bound). */
  cutChars?: number
  timedOut: boolean
  /** The signal that ended the command, when one did. */
  signal?: number
}

/** What the model is told when no runner is configured: the truth, not a made-up output. */
export const NO_TERMINAL = 'No workspace terminal is available in this project, so the command was not run.'
