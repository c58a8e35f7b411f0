import WebSocket from 'ws'
import { withTimeout } from './wait'

/**
 * A minimal Chrome DevTools Protocol client for the server process's inspector: request/response by id over
 * one WebSocket, no events. The bench uses it only between phases, to force a garbage collection and read
 * the JS heap, so memory readings compare live objects rather than whenever V8 last collected.
 */
export interface Inspector {
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>
  close(): void
}

export async function connectInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url)
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    }),
    10_000,
    'the server inspector',
  )
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  socket.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString()) as {
      id?: number
      result?: unknown
      error?: { message: string }
    }
    const call = reply.id === undefined ? undefined : waiting.get(reply.id)
    if (!call || reply.id === undefined) return
    waiting.delete(reply.id)
    if (reply.error) call.reject(new Error(`inspector: ${reply.error.message}`))
    else call.resolve(reply.result)
  })
  let nextId = 0
  return {
    call: <T>(method: string, params: Record<string, unknown> = {}) => {
      const id = ++nextId
      const reply = new Promise<T>((resolve, reject) =>
        waiting.set(id, { resolve: (v) => resolve(v as T), reject }),
      )
      socket.send(JSON.stringify({ id, method, params }))
      return withTimeout(reply, 30_000, `inspector ${method}`)
    },
    close: () => socket.close(),
  }
}
