import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { connectPeer } from './clients'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A server that accepts TCP connections and never answers the WebSocket handshake, and what it accepted. */
async function hangingServer() {
  const sockets: Socket[] = []
  const server = createServer((s) => void sockets.push(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => {
    for (const s of sockets) s.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets }
}

/** Exceptions nobody caught while the test runs. */
function uncaught(): unknown[] {
  const errors: unknown[] = []
  const onError = (e: unknown) => void errors.push(e)
  process.on('uncaughtException', onError)
  cleanups.push(() => void process.off('uncaughtException', onError))
  return errors
}

describe('connectPeer', () => {
  it('can be destroyed while its socket is still connecting (a reconnect to a node that hangs)', async () => {
    const { baseUrl, sockets } = await hangingServer()
    const peer = connectPeer({ baseUrl, docName: 'p/f', token: 't' })
    await expect.poll(() => sockets.length).toBeGreaterThan(0)
    expect(peer.socket.webSocket?.readyState).toBe(0) // CONNECTING
    const errors = uncaught()
    peer.destroy()
    // The aborted handshake is reported on a later tick; wait until the socket has closed for good.
    await expect.poll(() => peer.socket.webSocket?.readyState ?? 3).toBe(3)
    await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toEqual([])
  })

  it('can go online while its socket is still connecting: the connecting socket is replaced, nothing throws', async () => {
    const { baseUrl, sockets } = await hangingServer()
    const peer = connectPeer({ baseUrl, docName: 'p/f', token: 't' })
    cleanups.push(() => peer.destroy())
    await expect.poll(() => sockets.length).toBeGreaterThan(0)
    const connecting = peer.socket.webSocket
    expect(connecting?.readyState).toBe(0) // CONNECTING
    const errors = uncaught()
    void peer.goOnline()
    // The replaced socket reports its aborted handshake on a later tick, before the new one reaches the server.
    await expect.poll(() => sockets.length).toBeGreaterThan(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(connecting?.readyState).toBeGreaterThanOrEqual(2) // CLOSING or CLOSED
    expect(errors).toEqual([])
    expect(peer.socket.webSocket).not.toBe(connecting)
  })
})
