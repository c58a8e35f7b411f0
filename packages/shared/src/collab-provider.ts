import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider'

/** What an awareness 'update' event carries (y-protocols `awareness.js`). */
export interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/**
 * The part of an awareness change that is this client's own, or undefined when it has none.
 *
 * A client only speaks for itself: the server relays each client's state to everyone in the document.
 */
export function ownAwarenessChange(change: AwarenessChange, clientID: number): AwarenessChange | undefined {
  const own = (ids: number[]) => ids.filter((id) => id === clientID)
  const mine = { added: own(change.added), updated: own(change.updated), removed: own(change.removed) }
  return mine.added.length + mine.updated.length + mine.removed.length > 0 ? mine : undefined
}

/**
 * The Hocuspocus provider every Mimiverse client uses (the web app, the AI agent, tests and benchmarks).
 *
 * Hocuspocus 3.4.4's provider sends every awareness change back to the server, other clients' included (it
 * inherits y-websocket's gossip). Through a server that relays everything, those echoes carry nothing new: each
 * cursor move that reaches the four others in a file came back as four more messages for the server to read,
 * decode and drop, more than half of all it received under load. This provider sends only its own client's
 * state; that still covers the one case where a remote update concerns it (a peer declared it gone, and
 * y-protocols answers by raising its clock, which must reach the server).
 *
 * It also sends nothing while the socket is down. The stock provider queues every change meanwhile and sends the
 * whole queue on reconnect, a cursor move per keystroke typed offline, which the server's per-socket presence
 * rate refuses (4429); only the latest state matters, and the provider sends it anyway once reconnected
 * (`startSync`).
 */
export class CollabProvider extends HocuspocusProvider {
  // The base constructor binds this method as the awareness listener, so the override is what listens.
  override awarenessUpdateHandler(change: AwarenessChange, origin: unknown): void {
    if (this.configuration.websocketProvider.status !== WebSocketStatus.Connected) return
    const clientID = this.awareness?.clientID
    const own = clientID === undefined ? change : ownAwarenessChange(change, clientID)
    if (own) super.awarenessUpdateHandler(own, origin)
  }
}
