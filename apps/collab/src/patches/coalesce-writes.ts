import type { Duplex } from 'node:stream'
import type WebSocket from 'ws'
import { wrapSend } from './socket'

/**
 * Sends to one socket within one turn of the event loop leave in one write. Hocuspocus sends each update,
 * awareness change and acknowledgement as its own message, and `ws` writes each frame at once: one system call
 * per message was a third of the server's CPU under load. The socket is corked at the first send of a turn and
 * uncorked right after the turn's I/O (`setImmediate`), so the frames go out together, in order, without
 * waiting for a timer. (`ws` corks around each frame itself; corks nest.)
 */
export function coalesceWrites(ws: WebSocket, socket: Duplex): void {
  let corked = false
  wrapSend(ws, (send, args) => {
    if (!corked && socket.writable) {
      corked = true
      socket.cork()
      setImmediate(() => {
        corked = false
        socket.uncork()
      })
    }
    send(...args)
  })
}
