import type WebSocket from 'ws'

/** Hands a frame on to the listeners of the socket's 'message' event (Hocuspocus'), with the arguments given. */
export type Deliver = (...args: unknown[]) => boolean

/**
 * Puts `intercept` between a socket and its 'message' listeners: it sees each frame first and delivers it
 * (unchanged or translated) or drops it (returns false). Hocuspocus 3.4.4 registers its listener with
 * `websocket.on("message", …)` when it takes the socket, and offers no hook before it decodes a frame, so the
 * socket's `emit` is wrapped. The arguments are `ws`'s (`data`, `isBinary`); Hocuspocus re-emits the frames it
 * queued before authentication with `data` alone. Returns the delivery the interceptor wraps, for frames the
 * server makes itself. Interceptors stack: the last one installed sees a frame first.
 */
export function interceptMessages(
  socket: WebSocket,
  intercept: (args: unknown[], deliver: Deliver) => boolean,
): Deliver {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean
  const deliver: Deliver = (...args) => emit('message', ...args)
  socket.emit = ((event: string | symbol, ...args: unknown[]) =>
    event === 'message' ? intercept(args, deliver) : emit(event, ...args)) as typeof socket.emit
  return deliver
}

/**
 * Puts `wrap` between Hocuspocus and the socket's `send`: Hocuspocus 3.4.4 writes every message of a connection
 * through `this.webSocket.send(message, callback)` and has no hook for outgoing frames. `wrap` gets the original
 * `send` and the arguments, and calls it as it sees fit (now, translated, or not at all).
 */
export function wrapSend(
  socket: WebSocket,
  wrap: (send: (...args: unknown[]) => void, args: unknown[]) => void,
): void {
  const send = socket.send.bind(socket) as (...args: unknown[]) => void
  socket.send = ((...args: unknown[]) => wrap(send, args)) as WebSocket['send']
}
