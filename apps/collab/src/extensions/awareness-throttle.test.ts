import { Document } from '@hocuspocus/server'
import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Awareness, encodeAwarenessUpdate, applyAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createLogger } from '@mimiverse/server-kit'
import { AwarenessThrottleExtension, rideWithNextUpdate } from './awareness-throttle'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})

/**
 * A document with one listening connection; `sent` is what it was sent, as `update` and `awareness`. While
 * `failing.on`, sending throws; `errors` names the callbacks that caught it.
 */
async function throttled(intervalMs: number) {
  const document = new Document('p/f')
  const sent: string[] = []
  const failing = { on: false }
  const errors: string[] = []
  const socket = {}
  const connection = {
    send: (frame: Uint8Array) => {
      if (failing.on) throw new RangeError('Maximum call stack size exceeded')
      const d = decoding.createDecoder(frame)
      decoding.readVarString(d)
      sent.push(decoding.readVarUint(d) === 1 ? 'awareness' : 'update')
    },
  }
  document.connections.set(socket as never, { clients: new Set(), connection: connection as never })
  await new AwarenessThrottleExtension({
    intervalMs,
    log: createLogger('silent'),
    onError: (callback) => errors.push(callback),
  }).afterLoadDocument({ document } as never)
  // A client typing and moving its cursor, as the server receives it.
  const client = new Y.Doc()
  const presence = new Awareness(client)
  const type = (text: string) => {
    const before = Y.encodeStateVector(client)
    client.getText('content').insert(0, text)
    Y.applyUpdate(document, Y.encodeStateAsUpdate(client, before), socket)
  }
  const moveCursor = (at: number) => {
    presence.setLocalStateField('cursor', at)
    applyAwarenessUpdate(document.awareness, encodeAwarenessUpdate(presence, [client.clientID]), socket)
  }
  return { sent, type, moveCursor, failing, errors }
}

describe('awareness throttle', () => {
  it('sends a due cursor right after the next update while the document is being edited', async () => {
    const { sent, type, moveCursor } = await throttled(100)
    type('a')
    await vi.advanceTimersByTimeAsync(200)
    // A quiet document: the cursor goes at once.
    moveCursor(1)
    expect(sent).toEqual(['update', 'awareness'])

    await vi.advanceTimersByTimeAsync(140)
    type('b')
    await vi.advanceTimersByTimeAsync(10)
    // Due, but text was typed within the interval: it waits for the next update and leaves right after it.
    moveCursor(2)
    expect(sent).toEqual(['update', 'awareness', 'update'])
    type('c')
    expect(sent).toEqual(['update', 'awareness', 'update', 'update', 'awareness'])

    // No update comes: it goes at most half an interval later.
    await vi.advanceTimersByTimeAsync(100)
    type('d')
    moveCursor(3)
    await vi.advanceTimersByTimeAsync(49)
    expect(sent.slice(5)).toEqual(['update'])
    await vi.advanceTimersByTimeAsync(1)
    expect(sent.slice(5)).toEqual(['update', 'awareness'])
  })

  it('never lets an exception out of its listener or timer; later changes still go out', async () => {
    const { sent, moveCursor, failing, errors } = await throttled(100)
    failing.on = true
    // The first move goes at once, from the awareness listener; the next one from the timer.
    moveCursor(1)
    moveCursor(2)
    await vi.advanceTimersByTimeAsync(150)
    expect(errors).toEqual(['awareness-broadcast', 'awareness-broadcast'])

    failing.on = false
    moveCursor(3)
    await vi.advanceTimersByTimeAsync(150)
    expect(sent).toEqual(['awareness'])
  })

  it('waits for an update only while one came within the interval', () => {
    expect(rideWithNextUpdate(1000, 950, 100)).toBe(true)
    expect(rideWithNextUpdate(1000, 850, 100)).toBe(false)
  })
})
