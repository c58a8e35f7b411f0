import {
  OutgoingMessage,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Document,
  type Extension,
} from '@hocuspocus/server'
import type { Logger } from '@mimiverse/server-kit'
import { replaceListener } from './listeners'

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
 * removal included, always arrives. Only the broadcast is deferred: the states are applied (and Redis
 * forwards them to other nodes) immediately.
 *
 * Hocuspocus 3.4.4 has no option for this; the Document's own listener is swapped for ours (`replaceListener`).
 */
export class AwarenessThrottleExtension implements Extension {
  extensionName = 'awareness-throttle'
  private readonly stops = new Map<Document, () => void>()

  constructor(private readonly deps: { intervalMs: number; log: Logger }) {}

  afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    if (this.deps.intervalMs > 0 && !this.stops.has(document)) {
      const stop = throttleBroadcasts(document, this.deps.intervalMs)
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

/** Replaces the document's per-update broadcast with a throttled one; returns how to stop its timer. */
function throttleBroadcasts(document: Document, intervalMs: number): (() => void) | undefined {
  const awareness = document.awareness

  const changed = new Set<number>()
  let timer: NodeJS.Timeout | undefined
  let lastSent = Number.NEGATIVE_INFINITY

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

  const throttled = ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
    // Which clients a socket owns, as Hocuspocus keeps it: their states are removed when the socket closes.
    const owner = document.connections.get(origin as never)
    for (const id of added) owner?.clients.add(id)
    for (const id of removed) owner?.clients.delete(id)
    for (const id of [...added, ...updated, ...removed]) changed.add(id)
    if (timer) return
    const wait = lastSent + intervalMs - performance.now()
    if (wait <= 0) send()
    else timer = setTimeout(send, wait)
  }
  if (!replaceListener(awareness, 'update', 'bound handleAwarenessUpdate', throttled)) return undefined
  return () => clearTimeout(timer)
}
