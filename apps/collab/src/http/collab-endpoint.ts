import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Hocuspocus } from '@hocuspocus/server'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode } from '@mimiverse/shared'
import { clientAddress, clipForLog, type Logger } from '@mimiverse/server-kit'
import {
  closeSocket,
  guardFrames,
  newSocketState,
  releaseSocket,
  type PendingBudget,
  type Refusal,
} from '../protocol/frame-guard'
import { coalesceWrites } from '../patches/coalesce-writes'
import { selectYjsSubprotocol, speakYWebsocket, yjsDocName, yjsToken } from '../protocol/y-websocket'
import { addressKey } from '../sockets/address'
import { Cap, type LiveSocket, type SocketRegistry } from '../sockets/registry'
import type { Mount } from './routes'

export interface CollabEndpointDeps {
  hocuspocus: Hocuspocus
  maxPayload: number
  /** Everything logged here can be caused by strangers: give a rate-limited logger. */
  log: Logger
  draining: () => boolean
  onMalformed: (refusal: Refusal) => void
  /** Counts sockets and grants; refuses upgrades past the node and per-address caps. */
  registry: SocketRegistry
  /** Bytes queued before authentication on the whole node. */
  budget: PendingBudget
  /** Take the client address from `X-Forwarded-For` (see server-kit `clientAddress`). */
  trustProxy: boolean
  /** A socket with no Auth accepted this long after it opened is closed with 4408. */
  authTimeoutMs: number
  /** A socket was refused or closed by a limit: a cap, the deadline, the node's unauthenticated bytes. */
  onLimited?: (limit: Cap | 'auth-timeout' | 'unauthenticated-bytes') => void
  /** Handlers of other paths' upgrades (the runner's `/terminals`); each authenticates its own sockets. */
  mounts?: Mount[]
}

/**
 * Accepts WebSocket upgrades at `/collab` (Hocuspocus providers) and `/yjs/<docName>` (y-websocket clients, one
 * document per socket, carried onto the Hocuspocus protocol: `protocol/y-websocket.ts`) and hands each socket,
 * behind the frame guard, to Hocuspocus; other paths go to the mounts that take upgrades (the runner's
 * `/terminals`).
 *
 * Before upgrading, the node-wide and per-address socket caps are checked (refused with HTTP 503 and 429: a
 * refused client costs no WebSocket). After upgrading, the socket must get an Auth accepted within the deadline.
 * Returns the WebSocket server, whose clients are closed at shutdown.
 */
export function attachCollabEndpoint(http: Server, deps: CollabEndpointDeps): WebSocketServer {
  // A peer that never answers our close frame (a stranger's, typically) holds its slot 5 s, not ws' 30 s.
  // (`closeTimeout` is a `ws` option its type definitions do not list yet.)
  const options = {
    noServer: true,
    maxPayload: deps.maxPayload,
    closeTimeout: 5_000,
    // What `ws` does by default (the first offered) for /collab; /yjs picks `yjs` or the token entry.
    handleProtocols: (protocols: Set<string>, req: IncomingMessage) =>
      yjsDocName(pathOf(req)) === null ? ([...protocols][0] ?? false) : selectYjsSubprotocol(protocols),
  }
  const wss = new WebSocketServer(options)
  http.on('upgrade', (req, socket, head) => {
    const pathname = pathOf(req)
    const yjsDoc = yjsDocName(pathname)
    const ours = pathname === '/collab' || yjsDoc !== null
    if (deps.draining()) return refuseUpgrade(socket, '503 Service Unavailable')
    if (!ours && deps.mounts?.some((m) => m.upgrade?.(req, socket, head))) return
    if (!ours) return refuseUpgrade(socket, '404 Not Found')
    const address = addressKey(clientAddress(req, deps.trustProxy))
    const full = deps.registry.enter(address)
    if (full) {
      deps.onLimited?.(full)
      return refuseUpgrade(socket, full === Cap.Node ? '503 Service Unavailable' : '429 Too Many Requests')
    }
    // The TCP connection's end, whether the upgrade completed or not.
    socket.once('close', () => deps.registry.leave(address))
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, socket, deps, yjsDoc))
  })
  return wss
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/'
}

function accept(
  ws: WebSocket,
  req: IncomingMessage,
  socket: Duplex,
  deps: CollabEndpointDeps,
  /** The document of a y-websocket socket (`/yjs/<docName>`); null for a Hocuspocus provider's. */
  yjsDoc: string | null,
): void {
  // `ws` reports protocol violations (such as a frame over maxPayload, closed with 1009) as 'error'
  // events; without a listener one bad client would crash the process.
  ws.on('error', (e) => deps.log.info('connection error', { error: clipForLog(e.message) }))
  const state = newSocketState(deps.budget)
  const live: LiveSocket = { socket: ws, grants: new Map(), authenticated: false }
  const deadline = setTimeout(() => {
    if (live.authenticated) return
    deps.onLimited?.('auth-timeout')
    closeSocket(ws, CloseCode.AuthenticationTimeout, 'no authentication in time')
  }, deps.authTimeoutMs)
  ws.once('close', () => {
    clearTimeout(deadline)
    deps.registry.forget(live)
    releaseSocket(state)
  })
  guardFrames(ws, {
    log: deps.log,
    state,
    maxUnauthenticatedBytes: deps.maxPayload,
    onMalformed: deps.onMalformed,
    onBusy: () => deps.onLimited?.('unauthenticated-bytes'),
  })
  coalesceWrites(ws, socket)
  const yjs = yjsDoc
    ? speakYWebsocket(ws, {
        documentName: yjsDoc,
        token: yjsToken(req),
        onMalformed: () => deps.onMalformed('malformed'),
      })
    : null
  deps.hocuspocus.handleConnection(ws, req, { socket: ws, state, live })
  yjs?.authenticate()
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
