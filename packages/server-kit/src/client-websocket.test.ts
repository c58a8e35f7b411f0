import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ClientWebSocket } from './client-websocket'

let server: Server | undefined
afterEach(() => {
  server?.closeAllConnections()
  server?.close()
})

describe('ClientWebSocket', () => {
  it('survives being closed while it connects, as a provider does on a reconnect, with no listener of its own', async () => {
    // A server that takes the connection and never answers the upgrade: the socket stays connecting.
    server = createServer()
    server.on('upgrade', () => {})
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const socket = new ClientWebSocket(`ws://127.0.0.1:${port}`)
    const errors: string[] = []
    const uncaught = (e: Error) => errors.push(e.message)
    process.on('uncaughtException', uncaught)
    try {
      expect(socket.readyState).toBe(ClientWebSocket.CONNECTING)
      socket.close()
      // (`events.once` would reject on the 'error' itself; the provider listens for 'close'.)
      const code = await new Promise<number>((resolve) => socket.on('close', resolve))
      expect(code).toBe(1006)
      // The aborted handshake's 'error' came and went without ending the process.
      await new Promise((resolve) => setImmediate(resolve))
      expect(errors).toEqual([])
    } finally {
      process.off('uncaughtException', uncaught)
    }
  })
})
