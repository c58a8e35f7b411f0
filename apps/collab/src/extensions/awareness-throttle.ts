import {
  OutgoingMessage,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Document,
  type Extension,
} from '@hocuspocus/server'
import type { Logger } from '@mimiverse/server-kit'
import { replaceListener } from '../patches/replace-listener'
import { neverThrow } from './listeners'

/** What an awareness 'update' event carries (y-protocols `awareness.js`). */
interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/**
 * Coalesces each document's awareness broadcasts (cursors, selections, names) to at most one per
 * `intervalMs`.
 *
 * Hocuspocus broadcasts every awareness update the moment it is applied, re-encoded for each connection of the
 * document (`Document.handleAwarenessUpdate`): with a cursor move per keystroke, 5 people typing in a file at
 * 4 keys/s make 100 encodes and socket writes a second for presence alone. Awareness is state, not a stream of
 * events: only each client's latest state matters, and an update carries a client's whole state with a clock.
 * So the first change after a quiet interval goes out at once (a lone cursor move is not delayed), and changes
 * within the interval are gathered and sent together at its end as one message holding the latest state of
 * every client that changed, encoded once. Removals (a client left) travel the same way, so the last state,
 * removal included, always arrives. While the document is being edited, changes that are due wait (at most half
 * an interval) for its next update broadcast and leave right after it, in the same write to each socket. Only the
 * broadcast is deferred: the states are applied (and Redis forwards them to other nodes) immediately.
 *
 * Hocuspocus 3.4.4 has no option for this; the Document's own listener is swapped for ours (`replaceListener`).
 * If a Hocuspocus version renames it, nothing is throttled and a warning says so. The timers and listeners never
 * throw (`neverThrow`): an exception in a timer would end the process, so it is logged and counted instead.
 */
export class AwarenessThrottleExtension implements Extension {
  extensionName = 'awareness-throttle'
  private readonly stops = new Map<Document, () => void>()

  constructor(
    private readonly deps: {
      intervalMs: number
      log: Logger
      /** Counts an exception caught in a timer or listener, by which one. */
      onError?: (callback: string) => void
    },
  ) {}

  afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    if (this.deps.intervalMs > 0 && !this.stops.has(document)) {
      const stop = throttleBroadcasts(document, this.deps.intervalMs, (callback, error) => {
        this.deps.log.error('awareness broadcast failed; the process goes on', {
          doc: document.name,
          callback,
          error,
        })
        this.deps.onError?.(callback)
      })
      if (stop) this.stops.set(document, stop)
      else this.deps.log.warn('awareness not throttled: Hocuspocus has no handleAwarenessUpdate listener')
    }
    return Promise.resolve()
  }

  afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    for (const [document, stop] of this.stops) {
      if (document.name !== documentName) continue
      stop()
      this.stops.delete(document)
    }
    return Promise.resolve()
  }
}

/**
 * Replaces the document's per-update broadcast with a throttled one; returns how to stop its timer. Whatever a
 * timer or listener throws goes to `onError`.
 */
function throttleBroadcasts(
  document: Document,
  intervalMs: number,
  onError: (callback: string, error: unknown) => void,
): (() => void) | undefined {
  const awareness = document.awareness
  const safe = <A extends unknown[]>(callback: string, f: (...args: A) => void) =>
    neverThrow(f, (e) => onError(callback, e))

  const changed = new Set<number>()
  let timer: NodeJS.Timeout | undefined
  let lastSent = Number.NEGATIVE_INFINITY
  let lastUpdate = Number.NEGATIVE_INFINITY
  /** Due, and waiting to leave right after the document's next update broadcast. */
  let riding = false

  const send = () => {
    timer = undefined
    if (changed.size === 0 || document.isDestroyed) return
    lastSent = performance.now()
    const clients = [...changed]
    changed.clear()
    const frame = new OutgoingMessage(document.name)
      .createAwarenessUpdateMessage(awareness, clients)
      .toUint8Array()
    for (const connection of document.getConnections()) connection.send(frame)
  }

  // The interval is over. While people type, wait (at most half an interval more) for the next update: sent in
  // the same turn, the cursor leaves in the same write as the text it follows, instead of a write of its own.
  const due = safe('awareness-broadcast', () => {
    timer = undefined
    if (!rideWithNextUpdate(performance.now(), lastUpdate, intervalMs)) return send()
    riding = true
    timer = setTimeout(
      safe('awareness-broadcast', () => {
        riding = false
        send()
      }),
      intervalMs / 2,
    )
  })
  // Registered after the update broadcast, so the awareness frame follows the update frame.
  const onUpdate = safe('document-update', () => {
    lastUpdate = performance.now()
    if (!riding) return
    riding = false
    clearTimeout(timer)
    send()
  })

  const throttled = safe(
    'awareness-update',
    ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      // Which clients a socket owns, as Hocuspocus keeps it: their states are removed when the socket closes.
      const owner = document.connections.get(origin as never)
      for (const id of added) owner?.clients.add(id)
      for (const id of removed) owner?.clients.delete(id)
      for (const id of [...added, ...updated, ...removed]) changed.add(id)
      if (timer) return
      const wait = lastSent + intervalMs - performance.now()
      if (wait <= 0) due()
      else timer = setTimeout(due, wait)
    },
  )
  if (!replaceListener(awareness, 'update', 'bound handleAwarenessUpdate', throttled)) return undefined
  document.on('update', onUpdate)
  return () => {
    clearTimeout(timer)
    document.off('update', onUpdate)
  }
}

/**
 * Whether awareness changes that are due should wait for the document's next update: yes while it is being edited
 * (an update within the last interval), so they leave with it; no in a quiet document, where a cursor that moves
 * alone must not wait for text that may never come.
 */
export function rideWithNextUpdate(now: number, lastUpdate: number, intervalMs: number): boolean {
  return now - lastUpdate < intervalMs
}
