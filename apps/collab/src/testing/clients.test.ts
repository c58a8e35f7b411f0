import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { connectPeer } from './clients'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('connectPeer', () => {
  it('can be destroyed while its socket is still connecting (a reconnect to a node that hangs)', async () => {
    // Accepts TCP connections and never answers the WebSocket handshake.
    const sockets: Socket[] = []
    const server = createServer((s) => void sockets.push(s))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const { port } = server.address() as AddressInfo
    const peer = connectPeer({ baseUrl: `http://127.0.0.1:${port}`, docName: 'p/f', token: 't' })
    await expect.poll(() => sockets.length).toBeGreaterThan(0)
    expect(peer.socket.webSocket?.readyState).toBe(0) // CONNECTING
    const errors: unknown[] = []
    const onError = (e: unknown) => void errors.push(e)
    process.on('uncaughtException', onError)
    cleanups.push(() => void process.off('uncaughtException', onError))
    peer.destroy()
    // The aborted handshake is reported on a later tick; wait until the socket has closed for good.
    await expect.poll(() => peer.socket.webSocket?.readyState ?? 3).toBe(3)
    await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toEqual([])
  })
})
