import type { Logger } from '@mimiverse/server-kit'
import type { AgentEvent } from '../../../contracts/agent'
import type { RunFile, RunFiles } from './run-files'
import type { TaskStore } from './task-store'

/**
 * A rename or a deletion by the run. A deletion keeps the file's text as it was deleted: the run's document when it
 * had the file open (Undo first reverts the run's own edits in it), else the stored text.
 */
export type FileOp =
  | { kind: 'rename'; fileId: string; docName: string; from: string; to: string }
  | { kind: 'delete'; docName: string; path: string; text: string; file: RunFile | null }

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
  /** Renames and deletions the run made, in order, not reviewed yet (Undo reverts them, newest first). */
  readonly fileOps: FileOp[] = []
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
