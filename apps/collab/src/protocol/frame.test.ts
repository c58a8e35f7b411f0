import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { decodeFrame, isEmptyUpdate, MessageType, SyncType } from './frame'

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, 'p/f')
  write(e)
  return encoding.toUint8Array(e)
}

function syncFrame(syncType: number, payload: Uint8Array) {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, syncType)
    encoding.writeVarUint8Array(e, payload)
  })
}

describe('decodeFrame', () => {
  const doc = new Y.Doc()
  doc.getText('content').insert(0, 'hi')
  const update = Y.encodeStateAsUpdate(doc)

  it('returns the Yjs update of Update and SyncStep2 frames', () => {
    expect(decodeFrame(syncFrame(SyncType.Update, update))).toEqual({
      documentName: 'p/f',
      type: MessageType.Sync,
      kind: 'update',
      update,
    })
    expect(decodeFrame(syncFrame(SyncType.Step2, update)).kind).toBe('update')
    expect(decodeFrame(syncFrame(SyncType.Step1, Y.encodeStateVector(doc))).kind).toBe('other')
  })

  it('accepts awareness, auth and query-awareness frames', () => {
    const awareness = encoding.createEncoder()
    encoding.writeVarUint(awareness, 1)
    encoding.writeVarUint(awareness, 42)
    encoding.writeVarUint(awareness, 3)
    encoding.writeVarString(awareness, JSON.stringify({ user: { name: 'A' } }))
    const frames = [
      frame((e) => {
        encoding.writeVarUint(e, MessageType.Awareness)
        encoding.writeVarUint8Array(e, encoding.toUint8Array(awareness))
      }),
      frame((e) => {
        encoding.writeVarUint(e, MessageType.Auth)
        encoding.writeVarUint(e, 0)
        encoding.writeVarString(e, 'token')
      }),
      frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness)),
    ]
    for (const f of frames) expect(decodeFrame(f).kind).toBe('other')
  })

  it('accepts the provider version 4.x appends to Auth, and nothing else after the token', () => {
    const auth = (tail: (e: encoding.Encoder) => void) =>
      frame((e) => {
        encoding.writeVarUint(e, MessageType.Auth)
        encoding.writeVarUint(e, 0)
        encoding.writeVarString(e, 'token')
        tail(e)
      })
    for (const version of ['4.8.0', '4.9.0-rc.1'])
      expect(decodeFrame(auth((e) => encoding.writeVarString(e, version))).kind).toBe('other')
    const garbage: ((e: encoding.Encoder) => void)[] = [
      (e) => encoding.writeVarUint(e, 1),
      (e) => encoding.writeVarString(e, 'not a version'),
      (e) => encoding.writeVarString(e, `4.8.0-${'x'.repeat(40)}`),
      (e) => {
        encoding.writeVarString(e, '4.8.0')
        encoding.writeVarUint(e, 0)
      },
      (e) => encoding.writeVarUint(e, 200),
    ]
    for (const tail of garbage) expect(() => decodeFrame(auth(tail))).toThrow(/trailing bytes/)
  })

  it.each([
    ['truncated', (f: Uint8Array) => f.slice(0, f.length - 3)],
    ['extended', (f: Uint8Array) => new Uint8Array([...f, 0])],
  ])('refuses a %s frame', (_what, mangle) => {
    expect(() => decodeFrame(mangle(syncFrame(SyncType.Update, update)))).toThrow()
  })

  it('refuses awareness with invalid JSON and message types we do not accept', () => {
    const bad = encoding.createEncoder()
    encoding.writeVarUint(bad, 1)
    encoding.writeVarUint(bad, 1)
    encoding.writeVarUint(bad, 1)
    encoding.writeVarString(bad, '{not json')
    expect(() =>
      decodeFrame(
        frame((e) => {
          encoding.writeVarUint(e, MessageType.Awareness)
          encoding.writeVarUint8Array(e, encoding.toUint8Array(bad))
        }),
      ),
    ).toThrow()
    expect(() => decodeFrame(frame((e) => encoding.writeVarUint(e, MessageType.BroadcastStateless)))).toThrow(
      /unsupported/,
    )
    expect(() => decodeFrame(syncFrame(7, update))).toThrow(/unsupported sync/)
  })

  it('recognizes the empty update', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true)
    expect(isEmptyUpdate(update)).toBe(false)
  })
})
