import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { readAwarenessEntries } from './awareness-check'
import { assertApplicable } from './update-check'

/**
 * Decoding of Hocuspocus frames, done before Hocuspocus sees them.
 *
 * Every frame a provider sends is `varString documentName, varUint messageType, body`. The bodies we accept:
 *   Sync (0) / SyncReply (4): varUint syncType, then SyncStep1 (0) a state vector, SyncStep2 (1) or
 *     Update (2) a Yjs update — each as varUint8Array;
 *   Awareness (1): varUint8Array of `count, (clientId, clock, JSON state)*`;
 *   Auth (2): varUint authType, varString token, then optionally varString providerVersion (what
 *     `@hocuspocus/provider` 4.x appends: a version such as `4.8.0`, nothing else);
 *   QueryAwareness (3), Close (7): empty;
 *   Stateless (5): varString.
 * BroadcastStateless (6) and SyncStatus (8) are server-to-client only in our use and are refused. A frame with
 * anything left over, or whose Yjs payload does not decode, is malformed: refusing it here means a bad frame
 * can never reach `Y.applyUpdate` and leave a document half-changed.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Stateless: 5,
  BroadcastStateless: 6,
  Close: 7,
  SyncStatus: 8,
} as const

export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const

/** A frame we understood and refuse; its message is ours (short, ASCII) and safe to send back. */
export class FrameError extends Error {
  override readonly name = 'FrameError'
}

export type Frame =
  | { documentName: string; type: number; kind: 'update'; update: Uint8Array }
  | { documentName: string; type: number; kind: 'other' }

/** Decodes and validates a frame; throws an Error whose message says what is wrong. */
export function decodeFrame(data: Uint8Array): Frame {
  const d = decoding.createDecoder(data)
  const documentName = decoding.readVarString(d)
  const type = decoding.readVarUint(d)
  let frame: Frame = { documentName, type, kind: 'other' }
  switch (type) {
    case MessageType.Sync:
    case MessageType.SyncReply:
      frame = decodeSync(d, documentName, type)
      break
    case MessageType.Awareness:
      decodeAwareness(decoding.readVarUint8Array(d))
      break
    case MessageType.Auth:
      decoding.readVarUint(d)
      decoding.readVarString(d)
      if (decoding.hasContent(d)) readProviderVersion(d)
      break
    case MessageType.Stateless:
      decoding.readVarString(d)
      break
    case MessageType.QueryAwareness:
    case MessageType.Close:
      break
    default:
      throw new FrameError(`unsupported message type ${type}`)
  }
  if (decoding.hasContent(d)) throw new FrameError('trailing bytes after the message')
  return frame
}

/** A provider version as 4.x sends it (`4.8.0`, `4.9.0-rc.1`); anything else after the token is refused. */
const PROVIDER_VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.-]{1,32})?$/

function readProviderVersion(d: decoding.Decoder): void {
  let version: string
  try {
    version = decoding.readVarString(d)
  } catch {
    throw new FrameError('trailing bytes after the message')
  }
  if (!PROVIDER_VERSION.test(version)) throw new FrameError('trailing bytes after the message')
}

function decodeSync(d: decoding.Decoder, documentName: string, type: number): Frame {
  const syncType = decoding.readVarUint(d)
  const payload = decoding.readVarUint8Array(d)
  switch (syncType) {
    case SyncType.Step1:
      Y.decodeStateVector(payload)
      return { documentName, type, kind: 'other' }
    case SyncType.Step2:
    case SyncType.Update:
      // Decoding is not enough: an update can decode and still throw when applied (see update-check.ts).
      assertApplicable(payload)
      return { documentName, type, kind: 'update', update: payload }
    default:
      throw new FrameError(`unsupported sync message type ${syncType}`)
  }
}

/** Within the bounds of `awareness-check.ts`: a state out of them throws a PresenceRefusal (closed with 4422). */
function decodeAwareness(payload: Uint8Array): void {
  const d = decoding.createDecoder(payload)
  readAwarenessEntries(d)
  if (decoding.hasContent(d)) throw new FrameError('trailing bytes in the awareness update')
}

const decoded = new WeakMap<Uint8Array, Frame>()

/**
 * `decodeFrame`, remembered per frame object: the frame guard and the durable-log hook see the same
 * Uint8Array, and decoding a large SyncStep2 twice would be wasted work.
 */
export function decodeFrameOnce(data: Uint8Array): Frame {
  let frame = decoded.get(data)
  if (!frame) {
    frame = decodeFrame(data)
    decoded.set(data, frame)
  }
  return frame
}

/** True for the empty update a provider sends when it has nothing the server lacks. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}
