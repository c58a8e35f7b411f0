import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Hocuspocus } from '@hocuspocus/server'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Logger } from '@mimiverse/server-kit'
import { guardFrames, newSocketState } from '../protocol/frame-guard'
import type { Mount } from './routes'

/**
 * Accepts WebSocket upgrades at `/collab` and hands each socket, behind the frame guard, to Hocuspocus; other
 * paths go to the mounts that take upgrades (the runner's `/terminals`). Returns the WebSocket server, whose clients are closed at shutdown.
 */
export function attachCollabEndpoint(
  http: Server,
  deps: {
    hocuspocus: Hocuspocus
    maxPayload: number
    log: Logger
    draining: () => boolean
    onMalformed: () => void
    mounts?: Mount[]
  },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload })
  http.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '/').split('?')[0]
    if (pathname !== '/collab' && !deps.draining()) {
      if (deps.mounts?.some((m) => m.upgrade?.(req, socket, head))) return
    }
    if (pathname !== '/collab' || deps.draining()) {
      const status = deps.draining() ? '503 Service Unavailable' : '404 Not Found'
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // `ws` reports protocol violations (such as a frame over maxPayload, closed with 1009) as 'error'
      // events; without a listener one bad client would crash the process.
      ws.on('error', (e) => deps.log.info('connection error', { error: e.message }))
      const state = newSocketState()
      guardFrames(ws, {
        log: deps.log,
        state,
        maxUnauthenticatedBytes: deps.maxPayload,
        onMalformed: deps.onMalformed,
      })
      coalesceWrites(ws, socket)
      deps.hocuspocus.handleConnection(ws, req, { socket: ws, state })
    })
  })
  return wss
}

/**
 * Sends to one socket within one turn of the event loop leave in one write. Hocuspocus sends each update,
 * awareness change and acknowledgement as its own message, and `ws` writes each frame at once: one system call
 * per message was a third of the server's CPU under load. The socket is corked at the first send of a turn and
 * uncorked right after the turn's I/O (`setImmediate`), so the frames go out together, in order, without
 * waiting for a timer. (`ws` corks around each frame itself; corks nest.)
 */
function coalesceWrites(ws: WebSocket, socket: Duplex): void {
  const send = ws.send.bind(ws) as (...args: unknown[]) => void
  let corked = false
  ws.send = ((...args: unknown[]) => {
    if (!corked && socket.writable) {
      corked = true
      socket.cork()
      setImmediate(() => {
        corked = false
        socket.uncork()
      })
    }
    send(...args)
  }) as WebSocket['send']
}
