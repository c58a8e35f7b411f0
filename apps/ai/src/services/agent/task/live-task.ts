import type { Logger } from '@mimiverse/server-kit'
import type { AgentEvent } from '../../../contracts/agent'
import type { RunFiles } from './run-files'
import type { TaskStore } from './task-store'

/**
 * A task run this process works on (and, once finished, keeps for a while so Undo can revert it): its
 * documents, its cancel switch, and its events, numbered here and written to the store in order without
 * making the loop wait for the database.
 */
export class LiveTask {
  readonly abort = new AbortController()
  done: Promise<void> = Promise.resolve()
  finishedAt: number | null = null
  /** An editor chose "Always for this run". */
  alwaysAllow = false
  /** A review (accept/undo) is in progress. */
  busy = false
  private seq = 0
  private writes: Promise<void> = Promise.resolve()

  constructor(
    readonly runId: string,
    readonly projectId: string,
    readonly requester: { id: string; name: string },
    readonly files: RunFiles,
    /** Origin of the run's text changes: the same object its files' UndoManagers track. */
    readonly origin: object,
    private readonly store: TaskStore,
    private readonly log: Logger,
  ) {}

  emit(e: Omit<AgentEvent, 'seq' | 'at'>): void {
    const event = { ...e, seq: ++this.seq }
    this.record(() => this.store.append(this.runId, event))
  }

  /** Queues a write of the run's records after the ones before it (events, its files' counts). */
  record(write: () => Promise<void>): void {
    this.writes = this.writes
      .then(write)
      .catch((err: unknown) =>
        this.log.error('agent run record not written', { runId: this.runId, error: err }),
      )
  }

  /** Resolves once everything recorded so far is stored. */
  flushed(): Promise<void> {
    return this.writes
  }
}
