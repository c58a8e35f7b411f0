import type { Server } from 'node:http'
import type { Hocuspocus } from '@hocuspocus/server'
import { WebSocketServer } from 'ws'
import type { Logger } from '@mimiverse/server-kit'
import { guardFrames, newSocketState } from '../protocol/frame-guard'

/**
 * Accepts WebSocket upgrades at `/collab` and hands each socket, behind the frame guard, to Hocuspocus.
 * Returns the WebSocket server, whose clients are closed at shutdown.
 */
export function attachCollabEndpoint(
  http: Server,
  deps: {
    hocuspocus: Hocuspocus
    maxPayload: number
    log: Logger
    draining: () => boolean
    onMalformed: () => void
  },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload })
  http.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '/').split('?')[0]
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
      deps.hocuspocus.handleConnection(ws, req, { socket: ws, state })
    })
  })
  return wss
}
