import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { seededRandom } from '../src/testing/random'
import type { Cleanup } from './cleanup'
import { spawnChild } from './child-process'
import { phaseLength, startPacing } from './pacing'
import { summarize, type LatencySummary } from './stats'
import { withTimeout } from './wait'

/**
 * The floor every collab latency is compared with: the round trip of a small binary WebSocket message
 * through a bare echo process (client -> server -> same client). A keystroke's path is client A -> server ->
 * client B, the same two loopback hops plus whatever the collab server does in between, so the difference of
 * the two is the server's own cost. Same client count, rate and pacing as the typing phase.
 */
export interface EchoOptions {
  clients: number
  rate: number
  seconds: number
  seed: number
  /** Samples sent in the first `warmupMs` are dropped (JIT, socket buffers). */
  warmupMs: number
}

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.ts', import.meta.url))
/** About the size of a Hocuspocus frame carrying one typed character. */
const MESSAGE_BYTES = 48

export async function measureEchoFloor(opts: EchoOptions, cleanup: Cleanup): Promise<LatencySummary> {
  const child = await spawnChild({ entry: ECHO_SERVER, env: {}, ready: /echo listening on (\d+)/ })
  cleanup.add('stop the echo server', () => child.stop())
  const url = `ws://127.0.0.1:${child.ready[1]}`
  const sockets = await withTimeout(
    Promise.all(Array.from({ length: opts.clients }, () => open(url))),
    10_000,
    'echo sockets',
  )
  try {
    return await runEcho(sockets, opts)
  } finally {
    for (const s of sockets) s.terminate()
    await child.stop()
  }
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.binaryType = 'nodebuffer'
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

async function runEcho(sockets: WebSocket[], opts: EchoOptions): Promise<LatencySummary> {
  const random = seededRandom(opts.seed)
  const samples: number[] = []
  const sentAt = new Map<number, number>()
  const warmupEnd = performance.now() + opts.warmupMs
  let seq = 0
  const stops = sockets.map((socket) => {
    socket.on('message', (data: Buffer) => {
      const id = data.readUInt32LE(0)
      const t0 = sentAt.get(id)
      if (t0 === undefined) return
      sentAt.delete(id)
      if (t0 >= warmupEnd) samples.push(performance.now() - t0)
    })
    return startPacing({ rate: opts.rate, random, tick: () => send(socket, ++seq, sentAt) })
  })
  await phaseLength(opts.seconds)
  for (const stop of stops) stop()
  await withTimeout(drained(sockets, sentAt), 10_000, 'the last echoes')
  return summarize(samples, 'echo')
}

function send(socket: WebSocket, id: number, sentAt: Map<number, number>): void {
  const message = Buffer.alloc(MESSAGE_BYTES)
  message.writeUInt32LE(id, 0)
  sentAt.set(id, performance.now())
  socket.send(message, { binary: true })
}

/** Resolves once every message sent has come back. */
function drained(sockets: WebSocket[], sentAt: Map<number, number>): Promise<void> {
  return new Promise((resolve) => {
    if (sentAt.size === 0) return resolve()
    const check = () => {
      if (sentAt.size > 0) return
      for (const s of sockets) s.off('message', check)
      resolve()
    }
    for (const s of sockets) s.on('message', check)
  })
}
