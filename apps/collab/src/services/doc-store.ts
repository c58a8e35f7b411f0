import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import {
  appendDocumentUpdates,
  compactLogChunk,
  countDocumentUpdates,
  deleteDocumentUpdates,
  documentLogSize,
  initialDocumentState,
  loadDocument,
  loadDocumentUpdates,
  lockSnapshot,
  quarantineUpdates,
  readDocumentText,
  readSnapshot,
  removeDocument,
  replaceSnapshotIfUnchanged,
  replayInto,
  storedUpdates,
  updateProblem,
  writeSnapshot,
  type AppendedRow,
  type Db,
  type SkippedUpdate,
} from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { AppendedRows } from './appended-rows'

/**
 * Durable storage of Yjs documents: a snapshot plus an append-only log of updates.
 *
 * Write path: `append` puts an update into the log before the server applies and acknowledges it. Appends are
 * group-committed: while one INSERT is in flight, later appends queue and go out together in the next one, so
 * throughput grows with load instead of paying one round trip per keystroke. Each caller's promise settles when
 * the row holding its update is committed (or the INSERT failed, and nothing of it was written).
 *
 * Compaction folds the log into the snapshot (`compactLogChunk` in `@mimiverse/db`, which holds the statements
 * of both forms), deleting exactly the rows it merged, so a row committed late by a concurrent writer is never
 * lost. Yjs updates are idempotent, so a row that is both merged and still logged is harmless.
 *
 * While a document is in memory, `compactFromMemory` is the cheap form: the live Y.Doc already holds every
 * update applied to it, so its encoded state becomes the snapshot and only this node's rows that the state
 * provably holds are deleted (see `AppendedRows`). No log rows are read and nothing is replayed: usually one
 * statement replaces the snapshot and deletes the rows; when another node wrote the snapshot, a short
 * transaction folds it in first and one DELETE follows.
 *
 * A stored update that cannot be applied (logged before the frame check refused such updates, or written
 * around the server) never makes a document unloadable: loads, reads and compactions replay around it
 * (`replay` in `@mimiverse/db`), and this store, the log's writer, moves it to `document_quarantine`, logs it
 * with its document and seq, and counts it.
 */
/** Told about every INSERT, compaction and quarantined update, for metrics. Durations in seconds. */
export interface StoreObserver {
  appended(seconds: number, rows: number, ok: boolean): void
  compacted(seconds: number, rows: number, ok: boolean): void
  quarantined(kind: 'update' | 'snapshot'): void
}

export interface DocStoreOptions {
  observer?: StoreObserver
  /** Most rows in one INSERT. Default 256. */
  maxBatchRows?: number
  /** Most bytes of updates in one INSERT. Default 4 MiB. */
  maxBatchBytes?: number
  /**
   * Least time between the starts of two INSERTs, in ms (group commit window). Default 0: the next INSERT
   * starts as soon as the previous one committed.
   */
  commitIntervalMs?: number
}

interface Pending {
  docName: string
  update: Uint8Array
  resolve(): void
  reject(e: unknown): void
}

const COMPACT_CHUNK_ROWS = 5000
/**
 * How long the next live compaction waits after one that took `tookMs`: three times as long while appends are
 * flowing, so compaction takes at most a quarter of the database's time while people type; none when nothing is
 * being typed (after the last client left, at shutdown), so those finish at once.
 */
export function compactionPause(tookMs: number, appending: boolean): number {
  return appending ? Math.min(3 * tookMs, 5000) : 0
}

/**
 * Transaction origin of a stored snapshot applied to a live document during compaction: already durable, so
 * the durable log must not append it again.
 */
export const SNAPSHOT_ORIGIN = 'mimiverse:stored-snapshot'

/** Whether `doc` holds everything in `update`; false for one that does not decode (checked before applying). */
function holds(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    return Y.snapshotContainsUpdate(Y.snapshot(doc), update)
  } catch {
    return false
  }
}

const md5 = (state: Uint8Array) => createHash('md5').update(state).digest('hex')

export class DocStore {
  private readonly queue: Pending[] = []
  private draining = false
  private last: Promise<void> = Promise.resolve()
  /** Counters for metrics and tests: INSERT statements and rows appended through them. */
  readonly stats = { batches: 0, rows: 0 }
  private readonly maxBatchRows: number
  private readonly maxBatchBytes: number
  private readonly observer: StoreObserver | undefined
  private readonly commitIntervalMs: number
  private lastInsertStarted = Number.NEGATIVE_INFINITY
  private compacting: Promise<unknown> = Promise.resolve()
  /** This node's log rows not compacted yet, for `compactFromMemory`. */
  private readonly appended = new AppendedRows()
  /** md5 of the snapshot this node last stored per document: a different one was written by someone else. */
  private readonly storedDigests = new Map<string, string>()

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: DocStoreOptions = {},
  ) {
    this.maxBatchRows = options.maxBatchRows ?? 256
    this.maxBatchBytes = options.maxBatchBytes ?? 4 * 1024 * 1024
    this.observer = options.observer
    this.commitIntervalMs = options.commitIntervalMs ?? 0
  }

  /** Appends an update to the log; resolves once it is committed. */
  append(docName: string, update: Uint8Array): Promise<void> {
    const appended = new Promise<void>((resolve, reject) => {
      this.queue.push({ docName, update, resolve, reject })
      if (!this.draining) {
        this.draining = true
        // Starting on the next turn lets every update read from every socket in this turn share the INSERT.
        setImmediate(() => void this.drain())
      }
    })
    this.last = appended.catch(() => undefined)
    return appended
  }

  /**
   * Resolves when every append made before the call has settled. Batches go out in order, so that is when the
   * last one has; appends made later do not hold it up (under steady typing the queue is never empty).
   */
  flush(): Promise<void> {
    return this.last
  }

  /** Number of appends waiting for or inside an INSERT. */
  get pendingAppends(): number {
    return this.queue.length
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // An INSERT costs the database about the same for one row as for dozens: under load, waiting out the
      // window gathers the updates of many keystrokes into one. A lone append after a quiet window goes at once.
      const wait = this.lastInsertStarted + this.commitIntervalMs - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const batch = this.takeBatch()
      const started = performance.now()
      this.lastInsertStarted = started
      try {
        this.recordAppended(batch, await this.insert(batch))
        this.stats.batches += 1
        this.stats.rows += batch.length
        this.observer?.appended((performance.now() - started) / 1000, batch.length, true)
        for (const p of batch) p.resolve()
      } catch (e: unknown) {
        this.observer?.appended((performance.now() - started) / 1000, batch.length, false)
        this.log.error('appending document updates failed', { error: e, rows: batch.length })
        for (const p of batch) p.reject(e)
      }
    }
    // Cleared synchronously with the empty-queue check, so an append can never be stranded.
    this.draining = false
  }

  /** One INSERT for the whole batch (see `appendDocumentUpdates`). */
  private insert(batch: Pending[]): Promise<AppendedRow[]> {
    return appendDocumentUpdates(
      this.db,
      batch.map((p) => p.docName),
      batch.map((p) => p.update),
    )
  }

  /** Groups one INSERT's rows by document; rows and updates are paired by document only (see AppendedRows). */
  private recordAppended(batch: Pending[], rows: { seq: number; docName: string }[]): void {
    const byDoc = new Map<string, { seqs: number[]; updates: Uint8Array[] }>()
    for (const { docName, update } of batch) {
      let group = byDoc.get(docName)
      if (!group) byDoc.set(docName, (group = { seqs: [], updates: [] }))
      group.updates.push(update)
    }
    for (const { seq, docName } of rows) byDoc.get(docName)?.seqs.push(seq)
    for (const [docName, { seqs, updates }] of byDoc) this.appended.record(docName, seqs, updates)
  }

  /** Rows of `docName` this node appended and has not compacted yet. */
  appendedRows(docName: string): number {
    return this.appended.count(docName)
  }

  /** Stops tracking a document that left memory; its remaining rows are for `compact`. */
  forget(docName: string): void {
    this.appended.forget(docName)
    this.storedDigests.delete(docName)
  }

  private takeBatch(): Pending[] {
    let bytes = 0
    let n = 0
    while (n < this.queue.length && n < this.maxBatchRows) {
      bytes += this.queue[n]!.update.byteLength
      if (n > 0 && bytes > this.maxBatchBytes) break
      n += 1
    }
    return this.queue.splice(0, n)
  }

  /** Every stored update of a document (snapshot first), to apply to a Y.Doc. The read side lives in `db`. */
  load(docName: string): Promise<Uint8Array[]> {
    return loadDocumentUpdates(this.db, docName)
  }

  /**
   * Applies everything stored for `docName` to `doc`, in one transaction unless a stored update cannot be applied
   * (see `replayInto`; such updates go to quarantine). The snapshot read is the one `doc` now holds, so its digest
   * is remembered: the document's first compaction on this node can then replace it in one statement instead of
   * a transaction that holds the database while every document's appends wait.
   */
  async loadInto(doc: Y.Doc, docName: string, origin: unknown = 'doc-store'): Promise<void> {
    const stored = await loadDocument(this.db, docName)
    const skipped = replayInto(doc, storedUpdates(stored), origin)
    if (stored.snapshot && !skipped.some((s) => s.seq === undefined)) {
      this.storedDigests.set(docName, md5(stored.snapshot))
    }
    await this.quarantine(docName, skipped)
  }

  /** The stored text of a document: everything acknowledged, whether or not it is compacted yet. */
  async readText(docName: string): Promise<string> {
    const skipped: SkippedUpdate[] = []
    const text = await readDocumentText(this.db, docName, { onSkipped: (_, s) => skipped.push(...s) })
    await this.quarantine(docName, skipped)
    return text
  }

  /**
   * Moves stored updates a replay left out to quarantine. If that fails they stay where they are, and every
   * replay leaves them out again until a later move succeeds: the caller's load or read goes on either way.
   */
  private async quarantine(docName: string, skipped: SkippedUpdate[]): Promise<void> {
    if (skipped.length === 0) return
    try {
      this.reportQuarantined(docName, await quarantineUpdates(this.db, docName, skipped))
    } catch (e: unknown) {
      const seqs = skipped.map((s) => s.seq ?? 'snapshot')
      this.log.error('stored updates that cannot be applied were skipped but not quarantined', {
        doc: docName,
        seqs,
        error: e,
      })
    }
  }

  private reportQuarantined(docName: string, moved: readonly SkippedUpdate[]): void {
    for (const { seq, reason } of moved) {
      if (seq === undefined) {
        this.log.error('stored snapshot cannot be applied; moved to quarantine, its edits are missing', {
          doc: docName,
          reason,
        })
      } else {
        this.log.warn('stored update cannot be applied; moved to quarantine', { doc: docName, seq, reason })
      }
      this.observer?.quarantined(seq === undefined ? 'snapshot' : 'update')
    }
  }

  /** The initial state of a new document holding `text`; written with the file so seeding happens once. */
  static initialState(text: string): Uint8Array {
    return initialDocumentState(text)
  }

  /** Folds the log of `docName` into its snapshot. Returns how many log rows were merged. */
  async compact(docName: string): Promise<number> {
    const started = performance.now()
    let total = 0
    try {
      for (;;) {
        const { merged, quarantined } = await compactLogChunk(this.db, docName, COMPACT_CHUNK_ROWS)
        this.reportQuarantined(docName, quarantined)
        total += merged
        if (merged < COMPACT_CHUNK_ROWS) break
      }
    } catch (e: unknown) {
      this.observer?.compacted((performance.now() - started) / 1000, total, false)
      throw e
    }
    if (total > 0) this.observer?.compacted((performance.now() - started) / 1000, total, true)
    return total
  }

  /**
   * Stores the state of the live document `doc` as the snapshot of `docName` and deletes this node's log rows
   * that state holds. Returns how many rows were deleted.
   *
   * Which rows, and the state, are fixed synchronously before the transaction, so a row deleted is always one
   * the stored state holds; rows committed later (or by other nodes) stay for the next compaction. If the stored
   * snapshot is not the one this node last wrote (another node compacted, or this node never did), it is
   * applied to `doc` first, so no edit only that snapshot holds is overwritten; that is rare and costs one
   * decode of the stored state.
   */
  compactFromMemory(docName: string, doc: Y.Doc): Promise<number> {
    // One at a time, and paced: documents reach the compaction threshold together (people started typing
    // together). Back to back, twenty compactions held the database for a second, during which every
    // document's appends (and so keystrokes) queued behind them.
    let took = 0
    const run = this.compacting.then(async () => {
      const started = performance.now()
      try {
        return await this.compactFromMemoryNow(docName, doc)
      } finally {
        took = performance.now() - started
      }
    })
    // The caller has its answer at once; only the next compaction waits out the pause.
    const paced = async () => {
      const pause = compactionPause(took, this.draining)
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause).unref())
    }
    this.compacting = run.then(paced, paced)
    return run
  }

  private async compactFromMemoryNow(docName: string, doc: Y.Doc): Promise<number> {
    const started = performance.now()
    let contained = this.appended.contained(docName, doc)
    let state = Y.encodeStateAsUpdate(doc)
    try {
      // The stored snapshot is still the one this node wrote or loaded (the usual case): one statement.
      const digest = this.storedDigests.get(docName)
      const replaced =
        digest !== undefined &&
        (await replaceSnapshotIfUnchanged(this.db, { docName, state, digest, seqs: contained.seqs }))
      if (replaced) {
        this.storedDigests.set(docName, md5(state))
      } else {
        let quarantined: SkippedUpdate[] = []
        await this.db.transaction(async (tx) => {
          if ((await lockSnapshot(tx, docName)) !== this.storedDigests.get(docName)) {
            const folded = await this.foldStoredSnapshot(tx, docName, doc)
            quarantined = folded.quarantined
            if (folded.applied) {
              // Applying may release pending updates; what is contained is decided again with the new state.
              contained = this.appended.contained(docName, doc)
              state = Y.encodeStateAsUpdate(doc)
            }
          }
          await writeSnapshot(tx, docName, state, contained.seqs)
        })
        this.reportQuarantined(docName, quarantined)
        this.storedDigests.set(docName, md5(state))
        // The stored snapshot holds these rows now, so the DELETE may commit on its own. If the node dies
        // before it, the rows left are harmless (updates are idempotent) and the next compaction takes them.
        await deleteDocumentUpdates(this.db, docName, contained.seqs)
      }
    } catch (e: unknown) {
      this.observer?.compacted((performance.now() - started) / 1000, 0, false)
      throw e
    }
    this.appended.drop(docName, contained.groups)
    this.observer?.compacted((performance.now() - started) / 1000, contained.seqs.length, true)
    return contained.seqs.length
  }

  /**
   * Inside a compaction's transaction: applies the stored snapshot (another node wrote it) to the live `doc`,
   * unless `doc` holds it already. A snapshot that cannot be applied is quarantined instead (the live document
   * must not be left half-changed by a throw); the state written next replaces it.
   */
  private async foldStoredSnapshot(
    tx: Db,
    docName: string,
    doc: Y.Doc,
  ): Promise<{ applied: boolean; quarantined: SkippedUpdate[] }> {
    const stored = await readSnapshot(tx, docName)
    // Checking is far cheaper than applying a whole state (an 800 ms stall on a 20,000-item document);
    // the document usually holds it already (this node loaded it, or Redis brought the other's edits).
    if (!stored || holds(doc, stored)) return { applied: false, quarantined: [] }
    const reason = updateProblem(stored)
    if (reason !== undefined) {
      return {
        applied: false,
        quarantined: await quarantineUpdates(tx, docName, [{ update: stored, reason }]),
      }
    }
    Y.applyUpdate(doc, stored, SNAPSHOT_ORIGIN)
    return { applied: true, quarantined: [] }
  }

  /** How many updates of `docName` are logged and not yet compacted. */
  logRows(docName: string): Promise<number> {
    return countDocumentUpdates(this.db, docName)
  }

  /** Rows and bytes of updates in the log (not yet compacted), over all documents. */
  logSize(): Promise<{ rows: number; bytes: number }> {
    return documentLogSize(this.db)
  }

  /** Removes everything stored for a document (the file was deleted). */
  async remove(docName: string, db: Db = this.db): Promise<void> {
    this.forget(docName)
    await removeDocument(db, docName)
  }
}
