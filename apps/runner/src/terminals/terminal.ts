import pty, { type IPty } from '@lydell/node-pty'
import serialize from '@xterm/addon-serialize'
import headless from '@xterm/headless'
import type { TerminalInfo, TerminalPerson } from '@mimiverse/shared/terminal-protocol'
import { TokenBucket } from './token-bucket'

/**
 * One shared terminal: a PTY running a sandboxed command, and a server-side screen model (`@xterm/headless`)
 * fed the same output, so anyone who joins later gets the current screen (`snapshot`) instead of a replay.
 *
 * Output is bounded at the reader: past `outputBytesPerSecond` (its own token bucket), past the node's shared
 * budgets (`nodeOutput`, so many flooding terminals together cannot take the server's CPU; a terminal that
 * printed less than `INTERACTIVE_BYTES` in the last second never waits for it), or while the screen
 * model has more than `MAX_UNPARSED_BYTES` to parse, the PTY is paused: the command blocks on its writes
 * (`yes` runs at the rate we accept, not at the rate it can produce) and no buffer grows.
 */
export interface TerminalOptions {
  id: string
  kind: TerminalInfo['kind']
  title: string
  createdBy: TerminalPerson
  cols: number
  rows: number
  /** What to spawn (the sandbox launcher) and its environment. */
  spawn: { file: string; args: string[]; env: Record<string, string> }
  outputBytesPerSecond: number
  /** The node's output budgets, shared by all its terminals (see `NodeOutput`). */
  nodeOutput: NodeOutput
  onOutput(data: string): void
  onExit(exit: { code: number; signal: number }): void
}

/**
 * What all terminals of a node may print together: `bulk` for output in volume, and a smaller `interactive`
 * budget for terminals that printed little in the last second (a prompt, an echo), so they never queue behind
 * floods. Output past both is at most their rates together.
 */
export interface NodeOutput {
  bulk: TokenBucket
  interactive: TokenBucket
}

/** Lines of scrollback kept by the screen model and sent to late joiners. */
const SCROLLBACK = 1000
/**
 * Output within a second below which a terminal never waits for the node's budget: typing and its echo stay
 * immediate while other terminals flood.
 */
const INTERACTIVE_BYTES = 16 * 1024
/** Output handed to the screen model and not parsed yet, past which the PTY is paused. */
const MAX_UNPARSED_BYTES = 256 * 1024

export class Terminal {
  readonly id: string
  private readonly pty: IPty
  private readonly screen: InstanceType<typeof headless.Terminal>
  private readonly serializer = new serialize.SerializeAddon()
  private readonly createdAt = Date.now()
  private exit: TerminalInfo['exit']
  private readonly output: TokenBucket
  private unparsed = 0
  /** Output handed to the screen model and not parsed yet, oldest first (its callbacks fire in order). */
  private readonly pending: string[] = []
  /** When this terminal was last let go after a pause: for a second after, it counts as flooding. */
  private throttledAt = 0
  private paused = false
  private resumeTimer: NodeJS.Timeout | undefined

  constructor(private readonly options: TerminalOptions) {
    this.id = options.id
    this.output = new TokenBucket(options.outputBytesPerSecond)
    this.screen = new headless.Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: SCROLLBACK,
      allowProposedApi: true,
    })
    this.screen.loadAddon(this.serializer)
    const { file, args, env } = options.spawn
    this.pty = pty.spawn(file, args, {
      cwd: '/',
      env,
      cols: options.cols,
      rows: options.rows,
      name: 'xterm-256color',
    })
    this.pty.onData((data) => this.received(data))
    this.pty.onExit(({ exitCode, signal }) => this.exited({ code: exitCode, signal: signal ?? 0 }))
  }

  info(): TerminalInfo {
    const { kind, title, createdBy } = this.options
    return {
      id: this.id,
      kind,
      title,
      createdBy,
      createdAt: this.createdAt,
      cols: this.screen.cols,
      rows: this.screen.rows,
      ...(this.exit ? { exit: this.exit } : {}),
    }
  }

  get running(): boolean {
    return this.exit === undefined
  }

  /**
   * The current screen and scrollback as escape sequences, for a client that resets its view first: the parsed
   * state followed by the output still waiting to be parsed, so nothing between the two is lost.
   */
  snapshot(): { cols: number; rows: number; data: string } {
    const parsed = this.serializer.serialize({ scrollback: SCROLLBACK })
    return { cols: this.screen.cols, rows: this.screen.rows, data: parsed + this.pending.join('') }
  }

  write(data: string): void {
    if (this.running) this.pty.write(data)
  }

  resize(cols: number, rows: number): void {
    this.screen.resize(cols, rows)
    if (this.running) this.pty.resize(cols, rows)
  }

  /**
   * Ends the command and everything it started: SIGKILL to bwrap's process group outside the sandbox; bwrap's
   * death takes the sandbox's pid namespace (and so every process in it) with it.
   */
  kill(): void {
    if (!this.running) return
    try {
      process.kill(-this.pty.pid, 'SIGKILL')
    } catch {
      // The group is already gone; the PTY's exit follows.
    }
    try {
      this.pty.kill('SIGKILL')
    } catch {
      // Already exited.
    }
  }

  /** Frees the screen model; call after `kill` once the terminal is no longer listed. */
  dispose(): void {
    clearTimeout(this.resumeTimer)
    this.kill()
    this.screen.dispose()
  }

  /** Hands output to the members and to the screen model. */
  private feed(data: string): void {
    this.unparsed += data.length
    this.pending.push(data)
    this.screen.write(data, () => {
      this.pending.shift()
      this.unparsed -= data.length
      if (this.paused && this.unparsed <= MAX_UNPARSED_BYTES / 2) this.maybeResume()
    })
    this.options.onOutput(data)
  }

  private received(data: string): void {
    this.feed(data)
    const bytes = Buffer.byteLength(data)
    const { bulk, interactive } = this.options.nodeOutput
    const quiet =
      Date.now() - this.throttledAt > 1000 &&
      this.output.used() + bytes <= INTERACTIVE_BYTES &&
      interactive.waitMs() === 0
    this.output.take(bytes)
    ;(quiet ? interactive : bulk).take(bytes)
    if (!quiet && this.budgetWaitMs() > 0) {
      this.pause()
    } else if (this.output.waitMs() > 0 || this.unparsed > MAX_UNPARSED_BYTES) this.pause()
  }

  /** How long until this terminal may read in volume again: its own budget and the node's bulk budget. */
  private budgetWaitMs(): number {
    return Math.max(this.output.waitMs(), this.options.nodeOutput.bulk.waitMs())
  }

  private pause(): void {
    if (!this.paused && this.running) {
      this.paused = true
      this.pty.pause()
    }
    this.scheduleResume()
  }

  private scheduleResume(): void {
    clearTimeout(this.resumeTimer)
    this.resumeTimer = setTimeout(() => this.maybeResume(), Math.max(this.budgetWaitMs(), 10))
  }

  private maybeResume(): void {
    if (!this.paused) return
    if (this.budgetWaitMs() > 0 || this.unparsed > MAX_UNPARSED_BYTES / 2) return this.scheduleResume()
    this.paused = false
    this.throttledAt = Date.now()
    if (this.running) this.pty.resume()
  }

  private exited(exit: { code: number; signal: number }): void {
    clearTimeout(this.resumeTimer)
    this.exit = exit
    const how = exit.signal ? `killed by signal ${exit.signal}` : `exited with code ${exit.code}`
    this.feed(`\r\n\x1b[2m[${how}]\x1b[0m\r\n`)
    this.options.onExit(exit)
  }
}
