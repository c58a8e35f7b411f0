import { randomBytes } from 'node:crypto'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { WorkspaceMirror } from '../mirror/index'
import { commandEndMarker, type TerminalManager } from './manager'

/**
 * Commands the AI agent runs, each in a terminal of the project that everyone sees (listed with the others,
 * titled `Mimi: <command>`, watched and typed in like any terminal), in the same sandbox as people's commands.
 *
 * The shape is the AI service's `CommandRunner` (`apps/ai/src/services/agent/task/command-runner.ts`): the
 * composition root hands this object to the AI service; the apps never import each other.
 *
 * - The end of a command: after the line ran, its shell prints an end marker with the exit code and a token
 *   only this runner knows, then waits for the token as input before it exits. Everything before the marker has
 *   been read when the marker is, so nothing printed last is lost (node-pty drops what is unread 200 ms after
 *   the exit, which a throttled terminal can leave), and no output or keystroke can fake the end. A shell that
 *   never prints it (killed, `exec`) ends with its exit.
 * - Before it starts, the workspace is brought up to date with the documents (every edit of the run is on disk);
 *   after it ends, what the command changed on disk is read back into the documents before the result returns.
 * - A command that runs past its timeout, or whose run is stopped, is killed with its whole sandbox.
 * - The run's previous command terminal, ended by then, is closed when the next one opens, so a run holds at most
 *   one of the project's terminals; the last stays listed until someone closes it.
 */
export interface AgentCommandRequest {
  projectId: string
  runId: string
  requester: { id: string; name: string }
  command: string
  timeoutMs: number
  signal: AbortSignal
}

export interface AgentCommandResult {
  /** Null when the command did not exit by itself (timed out, stopped, killed by a signal). */
  exitCode: number | null
  /** The end of the output as text (escape sequences removed), at most `MAX_COMMAND_OUTPUT` characters. */
  output: string
  /** Characters of output before `output` that were dropped. */
  cutChars: number
  timedOut: boolean
  /** The signal that ended the command, when one did. */
  signal?: number
}

export interface AgentCommands {
  run(req: AgentCommandRequest): Promise<AgentCommandResult>
}

/** Output kept per command: its end (where errors and summaries are). */
export const MAX_COMMAND_OUTPUT = 64 * 1024
/** Most characters of the command line in the terminal's title. */
const TITLE_CHARS = 60

export function createAgentCommands(options: {
  manager: TerminalManager
  mirror: WorkspaceMirror | null
  log: Logger
}): AgentCommands {
  const { manager, mirror, log } = options
  /** Each run's last command terminal. */
  const lastTerminal = new Map<string, { projectId: string; id: string }>()

  const closePrevious = (runId: string) => {
    const previous = lastTerminal.get(runId)
    if (!previous) return
    lastTerminal.delete(runId)
    try {
      manager.close(previous.projectId, previous.id)
    } catch {
      // Closed by someone already.
    }
  }

  return {
    async run(req) {
      req.signal.throwIfAborted()
      const available = await manager.available()
      if (!available.ok) throw new AppError(ErrorCode.Unavailable, `Terminals are off: ${available.reason}`)
      await mirror?.ensureWorkspace(req.projectId)
      try {
        await mirror?.flush(req.projectId)
        req.signal.throwIfAborted()
        closePrevious(req.runId)
        const output = new OutputTail(MAX_COMMAND_OUTPUT)
        let exited!: (exit: { code: number; signal: number }) => void
        const exit = new Promise<{ code: number; signal: number }>((resolve) => (exited = resolve))
        const oneLine = req.command.replace(/\s+/g, ' ').trim()
        const endToken = randomBytes(12).toString('hex')
        const end = new EndMarker(endToken)
        let terminalId: string | null = null
        const answerEnd = () => {
          if (terminalId === null || end.code === null) return
          try {
            manager.get(req.projectId, terminalId).write(`${endToken}\r`)
          } catch {
            // Closed already.
          }
        }
        const info = await manager.open(req.projectId, {
          cols: 120,
          rows: 30,
          createdBy: req.requester,
          command: {
            line: req.command,
            title: `Mimi: ${oneLine.length > TITLE_CHARS ? `${oneLine.slice(0, TITLE_CHARS - 1)}…` : oneLine}`,
            endToken,
          },
          observer: {
            output: (data) => {
              output.push(data)
              if (end.code === null && end.scan(data)) answerEnd()
            },
            exited,
          },
        })
        terminalId = info.id
        answerEnd()
        lastTerminal.set(req.runId, { projectId: req.projectId, id: info.id })
        let timedOut = false
        const kill = () => {
          try {
            manager.kill(req.projectId, info.id)
          } catch {
            // Closed already: its process is gone.
          }
        }
        const timer = setTimeout(() => {
          timedOut = true
          kill()
        }, req.timeoutMs)
        req.signal.addEventListener('abort', kill, { once: true })
        const ended = await exit.finally(() => {
          clearTimeout(timer)
          req.signal.removeEventListener('abort', kill)
        })
        if (req.signal.aborted) throw req.signal.reason
        await mirror?.flush(req.projectId)
        const text = output.text()
        log.info('agent command ended', {
          projectId: req.projectId,
          runId: req.runId,
          code: ended.code,
          signal: ended.signal,
          timedOut,
          marker: end.code !== null,
        })
        const code = end.code ?? (ended.signal ? null : ended.code)
        return {
          exitCode: timedOut ? null : code,
          output: text.output,
          cutChars: text.cut,
          timedOut,
          ...(code === null && ended.signal ? { signal: ended.signal } : {}),
        }
      } finally {
        mirror?.releaseWorkspace(req.projectId)
      }
    },
  }
}

/** Finds a command terminal's end marker in its output (split anywhere across chunks) and reads the exit code. */
export class EndMarker {
  code: number | null = null
  private carry = ''
  private readonly pattern: RegExp

  constructor(token: string) {
    this.pattern = new RegExp(`${escapeRegExp(commandEndMarker(token))}(\\d+)\u0007`)
  }

  /** True once the marker was seen. */
  scan(data: string): boolean {
    const text = this.carry + data
    const found = this.pattern.exec(text)
    if (found) {
      this.code = Number(found[1])
      return true
    }
    this.carry = text.slice(-MARKER_CARRY)
    return false
  }
}

/** Enough of the previous chunk to hold a marker split across two. */
const MARKER_CARRY = 80

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The end of a terminal's output as plain text: escape sequences (colours, cursor moves, titles) removed,
 * CRLF as LF, a line redrawn with CR (progress bars) kept as its last state. Keeps about twice `max` raw
 * characters while reading, so memory stays bounded however much a command prints.
 */
export class OutputTail {
  private chunks: string[] = []
  private size = 0
  private dropped = 0

  constructor(private readonly max: number) {}

  push(data: string): void {
    this.chunks.push(data)
    this.size += data.length
    if (this.size > this.max * 2) {
      const all = this.chunks.join('')
      const keep = all.slice(all.length - this.max)
      this.dropped += all.length - keep.length
      this.chunks = [keep]
      this.size = keep.length
    }
  }

  text(): { output: string; cut: number } {
    const plain = plainText(this.chunks.join(''))
    const output = plain.length > this.max ? plain.slice(plain.length - this.max) : plain
    return { output, cut: this.dropped + plain.length - output.length }
  }
}

/** Escape sequences: CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, character sets, other ESC pairs. */
const ESC = '\u001b'
const BEL = '\u0007'
const ESCAPES = new RegExp(
  [
    `${ESC}\\[[0-?]*[ -/]*[@-~]`,
    `${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?`,
    `${ESC}[PX^_][^${ESC}]*(?:${ESC}\\\\)?`,
    `${ESC}[()#][0-9A-Za-z]`,
    `${ESC}[@-Z\\\\-_]`,
  ].join('|'),
  'g',
)

export function plainText(raw: string): string {
  return raw
    .replace(ESCAPES, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n')
}
