import WebSocket from 'ws'

/**
 * `ws` with an 'error' listener from birth, for the Hocuspocus providers that servers and tools run in Node (the
 * workspace mirror, the AI agent, `mimi`). The provider closes a socket that is still connecting when it replaces
 * it (a reconnect, `destroy()`) after taking its own listeners off; `ws` then reports the aborted handshake as an
 * 'error' on a later tick and, with nobody listening, throws it: the whole server process ends. The provider's own
 * listener still gets every error while it listens, and a 'close' follows each.
 */
export class ClientWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args)
    this.on('error', () => {})
  }
}
