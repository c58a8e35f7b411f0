import {
  Connection,
  type beforeHandleMessagePayload,
  type Extension,
  type onChangePayload,
  type onLoadDocumentPayload,
  type onStoreDocumentPayload,
  type afterUnloadDocumentPayload,
} from '@hocuspocus/server'
import { CloseCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { REDIS_ORIGIN } from '../patches/redis-origin'
import { decodeFrameOnce, isEmptyUpdate } from '../protocol/frame'
import { SNAPSHOT_ORIGIN, type DocStore } from '../services/doc-store'

/**
 * The update a frame carries that Hocuspocus will apply to the document, if any: a non-empty SyncStep2/Update
 * from a connection that may write. (Hocuspocus drops a read-only connection's updates; they are neither logged
 * nor applied.)
 */
export function clientUpdate(frame: Uint8Array, connection: Connection): Uint8Array | undefined {
  const decoded = decodeFrameOnce(frame)
  if (decoded.kind !== 'update' || connection.readOnly || isEmptyUpdate(decoded.update)) return undefined
  return decoded.update
}

/** The WebSocket close code of a server going down (RFC 6455 §7.4.1), as the shutdown closes every socket. */
const GOING_AWAY = 1001

/**
 * Makes "acknowledged" mean "in PostgreSQL". Hocuspocus acknowledges an update (SyncStatus) as soon as it is
 * applied in memory and stores on a debounce, so:
 *   - `beforeHandleMessage` appends each incoming SyncStep2/Update to the log and only lets Hocuspocus apply
 *     (and acknowledge) it once the append is committed. If the append fails the socket is closed with
 *     4503: the update is neither applied nor acknowledged, and the provider resends it when it reconnects.
 *     Appends are group-committed in arrival order, so hooks resolve, and updates apply, in order.
 *   - `onChange` logs changes that did not come from a client (server-side edits), after the fact.
 *   - `onLoadDocument` loads snapshot + log (a stored update that cannot be applied is left out and moved to
 *     quarantine). `onStoreDocument` (Hocuspocus' debounce) compacts from the in-memory document: its state
 *     becomes the snapshot and this node's rows it holds leave the log, without reading the log back. `afterUnloadDocument` folds whatever the log still holds (rows of other nodes, rows
 *     never applied) the slow way, reading and merging rows, when no client waits on the database.
 */
export class DurableLogExtension implements Extension {
  extensionName = 'durable-log'
  /** Set at shutdown: the server compacts every open document itself, once, before the database closes. */
  private stopping = false
  /** Appends and compactions under way, which shutdown waits for before it compacts and closes the database. */
  private readonly inFlight = new Set<Promise<unknown>>()

  constructor(
    private readonly deps: {
      store: DocStore
      log: Logger
      /**
       * While clients are connected, compact only once this node appended this many updates of a document:
       * compaction holds the database the appends need, so compacting every few seconds shows up as keystroke
       * latency. When the last client leaves (and at shutdown) it always compacts.
       */
      compactMinRows: number
      /** Whether the document's file still exists; a deleted file's late log rows are removed, not compacted. */
      exists: (documentName: string) => Promise<boolean>
    },
  ) {}

  async beforeHandleMessage({
    update: frame,
    connection,
    documentName,
  }: beforeHandleMessagePayload): Promise<void> {
    const update = clientUpdate(frame, connection)
    if (!update) return
    // A frame Hocuspocus held (its document was loading) and hands over after the shutdown began: not stored,
    // so not acknowledged; the provider resends it to the next server.
    if (this.stopping) throw { code: GOING_AWAY, reason: 'server shutting down' }
    try {
      await this.track(this.deps.store.append(documentName, update))
    } catch (e: unknown) {
      this.deps.log.error('update not stored; closing the connection so the client resends it', {
        doc: documentName,
        error: e,
      })
      connection.webSocket.close(CloseCode.StorageUnavailable, 'storage unavailable; the edit was not saved')
      throw { code: CloseCode.StorageUnavailable, reason: 'storage unavailable' }
    }
  }

  async onChange({ transactionOrigin, documentName, update }: onChangePayload): Promise<void> {
    if (
      transactionOrigin instanceof Connection ||
      transactionOrigin === REDIS_ORIGIN ||
      transactionOrigin === SNAPSHOT_ORIGIN
    )
      return
    await this.track(this.deps.store.append(documentName, update)).catch((e: unknown) => {
      this.deps.log.error('server-side change not stored', { doc: documentName, error: e })
    })
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    await this.deps.store.loadInto(document, documentName)
  }

  async onStoreDocument({ document, documentName, clientsCount }: onStoreDocumentPayload): Promise<void> {
    const { store, compactMinRows } = this.deps
    // Counted in memory: no query at all for a document whose log is still short.
    if (clientsCount > 0 && store.appendedRows(documentName) < compactMinRows) return
    await this.compact(documentName, () => store.compactFromMemory(documentName, document))
  }

  /** The last client left and the document left memory: compact whatever its log still holds. */
  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.deps.store.forget(documentName)
    await this.compact(documentName, () => this.deps.store.compact(documentName))
  }

  // No flush first: compaction folds committed rows only, and later ones wait for the next compaction.
  private async compact(documentName: string, fold: () => Promise<number>): Promise<void> {
    if (this.stopping) return
    await this.track(this.fold(documentName, fold))
  }

  private async fold(documentName: string, fold: () => Promise<number>): Promise<void> {
    try {
      if (!(await this.deps.exists(documentName))) return await this.deps.store.remove(documentName)
      const merged = await fold()
      this.deps.log.debug('compacted', { doc: documentName, merged })
    } catch (e: unknown) {
      // Nothing is lost: the log still holds every update; the next store retries.
      this.deps.log.warn('compaction failed; the log keeps every update', { doc: documentName, error: e })
    }
  }

  /**
   * Shutdown, once no socket can send any more: client updates that still arrive are refused (not stored, not
   * acknowledged) and the hooks stop compacting; resolves when the appends and compactions already under way
   * have settled. Server-side changes are still stored, until the database closes.
   */
  async stop(): Promise<void> {
    this.stopping = true
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work)
    const done = () => this.inFlight.delete(work)
    work.then(done, done)
    return work
  }
}
