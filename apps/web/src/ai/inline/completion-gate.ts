/**
 * Whether inline completion may ask the model. Without a completion model every `ai.complete` answers 503,
 * which the browser logs for each keystroke; so requests wait for `ai.models` to say the completion model is
 * ready, and while it is not, only that cheap status query is repeated (every `recheckMs`) until the state
 * changes. A 503 from `ai.complete` (the model went away) closes the gate again.
 *
 * States: `checking` (asking `ai.models`, no requests yet), `ready`, `no-model` (with the server's hint).
 */
export type ModelState = 'checking' | 'ready' | 'no-model'

export interface GateStatus {
  state: ModelState
  /** What to start or pull, from the server's report; null when ready or unknown. */
  hint: string | null
}

/** What the completion task's status says: ready, or not with a hint. */
export interface CompletionReadiness {
  ready: boolean
  hint?: string
}

export interface CompletionGateOptions {
  /** Asks the AI service about the completion model (`ai.models`); rejects when it cannot be reached. */
  check: () => Promise<CompletionReadiness>
  /** Runs `fn` after `ms`; returns a cancel function (setTimeout by default, fake in tests). */
  schedule?: (fn: () => void, ms: number) => () => void
  /** How long to wait before asking `ai.models` again while there is no model (ms). Default 10 s. */
  recheckMs?: number
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const timer = setTimeout(fn, ms)
  return () => clearTimeout(timer)
}

export class CompletionGate {
  private status: GateStatus = { state: 'checking', hint: null }
  private readonly listeners = new Set<() => void>()
  private cancelRecheck: (() => void) | null = null
  private checking = false
  private disposed = false
  private readonly schedule: NonNullable<CompletionGateOptions['schedule']>
  private readonly recheckMs: number

  constructor(private readonly opts: CompletionGateOptions) {
    this.schedule = opts.schedule ?? defaultSchedule
    this.recheckMs = opts.recheckMs ?? 10_000
  }

  /** Asks the first time; call once. */
  start(): void {
    void this.check()
  }

  /** Whether a completion request may be sent now. */
  get allowed(): boolean {
    return this.status.state === 'ready'
  }

  get current(): GateStatus {
    return this.status
  }

  /** A completion request failed: a 503 means the model is gone, so stop and watch its status again. */
  failed(code: string): void {
    if (code !== 'SERVICE_UNAVAILABLE' || this.status.state !== 'ready') return
    this.set({ state: 'no-model', hint: null })
    void this.check()
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  dispose(): void {
    this.disposed = true
    this.cancelRecheck?.()
    this.listeners.clear()
  }

  private async check(): Promise<void> {
    if (this.checking || this.disposed) return
    this.checking = true
    this.cancelRecheck?.()
    this.cancelRecheck = null
    let next: GateStatus
    try {
      const r = await this.opts.check()
      next = r.ready ? { state: 'ready', hint: null } : { state: 'no-model', hint: r.hint ?? null }
    } catch {
      next = { state: 'no-model', hint: 'the AI service is not reachable' }
    } finally {
      this.checking = false
    }
    if (this.disposed) return
    this.set(next)
    if (next.state !== 'ready') this.cancelRecheck = this.schedule(() => void this.check(), this.recheckMs)
  }

  private set(next: GateStatus): void {
    if (next.state === this.status.state && next.hint === this.status.hint) return
    this.status = next
    for (const l of this.listeners) l()
  }
}

/** The status bar's tooltip for "AI: no model": what to do, or null when completion is on (or unknown yet). */
export function completionProblem(status: GateStatus | null): string | null {
  if (status?.state !== 'no-model') return null
  return `Inline completion is off: no completion model${status.hint ? ` (${status.hint})` : ''}`
}
