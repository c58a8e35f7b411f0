import { randomUUID } from 'node:crypto'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { TerminalInfo, TerminalPerson, TerminalServerMessage } from '@mimiverse/shared/terminal-protocol'
import type { Logger } from '@mimiverse/server-kit'
import { LAUNCHER_ENV, sandboxSpawnArgs, sandboxUid, type SandboxConfig, type SandboxProbe } from './sandbox'
import { Terminal } from './terminal'
import { TokenBucket } from './token-bucket'
import { prepareWorkspace } from './workspace-owner'

/**
 * Every terminal of this node, grouped by project. A project's members subscribe to its events (one serialized
 * message for all of them); terminals are shared by the project, not owned by whoever opened them.
 */
export interface TerminalManagerOptions {
  sandbox: SandboxConfig
  /** The start-up probe: terminals are offered only when it worked. */
  probe: Promise<SandboxProbe>
  workspacesDir: string
  maxPerProject: number
  maxTotal: number
  /** A project nobody is connected to has its terminals killed after this long. */
  idleMs: number
  outputBytesPerSecond: number
  /** Output of all terminals together, bytes per second. */
  nodeOutputBytesPerSecond: number
  log: Logger
}

/** Receives a project's events already serialized (`JSON.stringify` of a `TerminalServerMessage`). */
export type ProjectListener = (message: string, parsed: TerminalServerMessage) => void

export interface OpenRequest {
  cols: number
  rows: number
  createdBy: TerminalPerson
  /** Runs `npm run <script>` instead of a shell. */
  script?: string
  /**
   * Runs this command line (shown first on the screen) instead of a shell, titled `title`; at its end the
   * terminal prints `commandEndMarker(endToken)`, the exit code and BEL, and waits for `endToken` + CR as input.
   */
  command?: { line: string; title: string; endToken: string }
  /** Hears this terminal's output and its exit, as its members do (the agent's command runner). */
  observer?: TerminalObserver
}

export interface TerminalObserver {
  output(data: string): void
  exited(exit: { code: number; signal: number }): void
}

/**
 * A command line run as a terminal's command: shown dimmed first (people watching see what runs), then run by
 * bash in a subshell (so `exit` in the line ends only it). Then the shell prints an end marker (an OSC sequence
 * terminals ignore) carrying the exit code and waits, echo off, until the reader answers with the end token:
 * node-pty drops output still unread 200 ms after the process exits, which happens when the reader is paused
 * (output throttled), so the shell must not exit before its last output was read. Output cannot fake the end
 * without the token, which only the runner knows; input typed meanwhile cannot end the wait either.
 */
const COMMAND_SCRIPT = [
  'printf "\\033[2m\\$ %s\\033[0m\\n" "$1"',
  '( eval "$1" )',
  'mimi_rc=$?',
  'stty -echo 2>/dev/null',
  'printf "\\033]6973;%s;%d\\007" "$2" "$mimi_rc"',
  'while IFS= read -r -t 60 mimi_line; do [ "${mimi_line%$\'\\r\'}" = "$2" ] && break; done',
  'exit "$mimi_rc"',
].join('\n')

/** The end marker a command terminal prints (see `COMMAND_SCRIPT`), before its exit code. */
export const commandEndMarker = (token: string) => `\x1b]6973;${token};`

interface Project {
  terminals: Map<string, Terminal>
  /** Opens run one after another: a tree is handed over only while no command of the project runs. */
  opening: Promise<unknown>
  listeners: Set<ProjectListener>
  idleTimer?: NodeJS.Timeout
  /** When each (terminal, user) last announced typing, to announce at most every TYPING_INTERVAL_MS. */
  typing: Map<string, number>
  /** Calls of `exclusive` queued or running: the project is not forgotten meanwhile (its queue would be). */
  busy: number
}

const TYPING_INTERVAL_MS = 500
/** Output per second of the node's quiet terminals (prompts, echoes), on top of the bulk budget. */
const INTERACTIVE_OUTPUT_BYTES_PER_SECOND = 64 * 1024

export type TerminalManager = ReturnType<typeof createTerminalManager>

export function createTerminalManager(options: TerminalManagerOptions) {
  const projects = new Map<string, Project>()
  const nodeOutput = {
    bulk: new TokenBucket(options.nodeOutputBytesPerSecond),
    interactive: new TokenBucket(INTERACTIVE_OUTPUT_BYTES_PER_SECOND),
  }
  let total = 0

  const projectOf = (projectId: string): Project => {
    let p = projects.get(projectId)
    if (!p) {
      p = {
        terminals: new Map(),
        listeners: new Set(),
        typing: new Map(),
        opening: Promise.resolve(),
        busy: 0,
      }
      projects.set(projectId, p)
    }
    return p
  }
  const emit = (project: Project, message: TerminalServerMessage) => {
    const text = JSON.stringify(message)
    for (const listener of project.listeners) listener(text, message)
  }
  const list = (projectId: string): TerminalInfo[] =>
    [...(projects.get(projectId)?.terminals.values() ?? [])].map((t) => t.info())
  const remove = (projectId: string, id: string) => {
    const project = projects.get(projectId)
    const terminal = project?.terminals.get(id)
    if (!project || !terminal) return
    project.terminals.delete(id)
    total--
    terminal.dispose()
    emit(project, { type: 'list', terminals: list(projectId) })
    forgetIfEmpty(projectId)
  }
  const forgetIfEmpty = (projectId: string) => {
    const p = projects.get(projectId)
    if (p && p.terminals.size === 0 && p.listeners.size === 0 && p.busy === 0) {
      clearTimeout(p.idleTimer)
      projects.delete(projectId)
    }
  }

  /** The terminal, or NOT_FOUND (gone, or of another project). */
  const get = (projectId: string, id: string): Terminal => {
    const terminal = projects.get(projectId)?.terminals.get(id)
    if (!terminal) throw new AppError(ErrorCode.NotFound, 'No such terminal')
    return terminal
  }

  function open(projectId: string, request: OpenRequest): Promise<TerminalInfo> {
    const project = projectOf(projectId)
    const opened = project.opening.then(() => openNow(projectId, request))
    project.opening = opened.catch(() => undefined)
    return opened
  }

  async function openNow(projectId: string, request: OpenRequest): Promise<TerminalInfo> {
    const probe = await options.probe
    if (!probe.ok) throw new AppError(ErrorCode.Unavailable, probe.reason)
    const project = projectOf(projectId)
    if (project.terminals.size >= options.maxPerProject) {
      throw new AppError(
        ErrorCode.TooManyRequests,
        `This project already has ${options.maxPerProject} terminals`,
      )
    }
    if (total >= options.maxTotal) {
      throw new AppError(ErrorCode.TooManyRequests, 'This server runs as many terminals as it may; try later')
    }
    total++
    try {
      const uid = sandboxUid(projectId, options.sandbox.uidBase)
      const handOver = ![...project.terminals.values()].some((t) => t.running)
      const { tree, truncated } = await prepareWorkspace({
        workspaces: options.workspacesDir,
        projectId,
        uid,
        handOver,
      })
      if (truncated) options.log.warn('working tree too large to hand over entirely', { projectId })
      const argv = request.command
        ? ['/bin/bash', '-c', COMMAND_SCRIPT, 'mimi', request.command.line, request.command.endToken]
        : request.script
          ? ['npm', 'run', '--', request.script]
          : ['/bin/bash', '-i']
      const id = randomUUID()
      const observer = request.observer
      const terminal = new Terminal({
        id,
        kind: request.script || request.command ? 'run' : 'shell',
        title: request.command?.title ?? (request.script ? `npm run ${request.script}` : 'bash'),
        createdBy: request.createdBy,
        cols: request.cols,
        rows: request.rows,
        spawn: { ...sandboxSpawnArgs(options.sandbox, { tree, uid, argv }), env: LAUNCHER_ENV },
        outputBytesPerSecond: options.outputBytesPerSecond,
        nodeOutput,
        onOutput: (data) => {
          observer?.output(data)
          emit(project, { type: 'output', id, data })
        },
        onExit: ({ code, signal }) => {
          observer?.exited({ code, signal })
          emit(project, { type: 'exited', id, code, signal })
          emit(project, { type: 'list', terminals: list(projectId) })
        },
      })
      project.terminals.set(id, terminal)
      emit(project, { type: 'list', terminals: list(projectId) })
      return terminal.info()
    } catch (e: unknown) {
      total--
      forgetIfEmpty(projectId)
      throw e
    }
  }

  /**
   * Runs `fn` in the project's turn (after the terminal opens and earlier calls queued before it), with the tree
   * handed to the project's uid first when none of its terminals runs. Git's commands are the project's commands
   * too (its hooks run as its uid), so they take turns with the hand-over. `skipGit`: the `.git` folder is
   * walked only when it is not the uid's (git writes it as the uid; walking its objects costs every call).
   */
  function exclusive<T>(projectId: string, fn: (tree: string, uid: number) => Promise<T>): Promise<T> {
    const project = projectOf(projectId)
    project.busy++
    const run = project.opening.then(async () => {
      const probe = await options.probe
      if (!probe.ok) throw new AppError(ErrorCode.Unavailable, probe.reason)
      const uid = sandboxUid(projectId, options.sandbox.uidBase)
      const handOver = ![...project.terminals.values()].some((t) => t.running)
      const { tree } = await prepareWorkspace({
        workspaces: options.workspacesDir,
        projectId,
        uid,
        handOver,
        skipGit: true,
      })
      return fn(tree, uid)
    })
    project.opening = run.catch(() => undefined)
    return run.finally(() => {
      project.busy--
      forgetIfEmpty(projectId)
    })
  }

  return {
    exclusive,
    /** Whether this node runs terminals, once the start-up probe finished. */
    available: (): Promise<SandboxProbe> => options.probe,
    maxPerProject: options.maxPerProject,
    list,
    open,
    get,
    /** Announces (at most every 500 ms per person) that `user` typed in the terminal. */
    typed(projectId: string, id: string, user: TerminalPerson): void {
      const project = projects.get(projectId)
      if (!project) return
      const key = `${id}:${user.id}`
      const now = Date.now()
      if (now - (project.typing.get(key) ?? 0) < TYPING_INTERVAL_MS) return
      project.typing.set(key, now)
      emit(project, { type: 'typing', id, user })
    },
    kill(projectId: string, id: string): void {
      get(projectId, id).kill()
    },
    close(projectId: string, id: string): void {
      get(projectId, id)
      remove(projectId, id)
    },
    /**
     * Adds a member's connection. While a project has none, an idle timer runs; when it fires, the project's
     * terminals are killed and removed. Returns the function that unsubscribes.
     */
    subscribe(projectId: string, listener: ProjectListener): () => void {
      const project = projectOf(projectId)
      clearTimeout(project.idleTimer)
      project.idleTimer = undefined
      project.listeners.add(listener)
      return () => {
        project.listeners.delete(listener)
        if (project.listeners.size > 0) return
        if (project.terminals.size === 0) return forgetIfEmpty(projectId)
        project.idleTimer = setTimeout(() => {
          for (const id of [...project.terminals.keys()]) remove(projectId, id)
        }, options.idleMs)
        project.idleTimer.unref()
      }
    },
    /** Kills every terminal (shutdown). */
    closeAll(): void {
      for (const [projectId, project] of projects) {
        for (const id of [...project.terminals.keys()]) remove(projectId, id)
      }
    },
  }
}
