import type WebSocket from 'ws'
import { CloseCode } from '@mimiverse/shared'
import { clipForLog, type Logger } from '@mimiverse/server-kit'
import { interceptMessages } from '../patches/socket'
import { PresenceRefusal } from './awareness-check'
import { decodeFrameOnce, FrameError, MessageType, type Frame } from './frame'
import { UnapplicableUpdateError } from './update-check'

/**
 * Validates every frame of a socket before Hocuspocus sees it. Hocuspocus registers its own `message`
 * listener, which we cannot stop, so frames are intercepted before it (`patches/socket.ts`): a frame that is not binary or
 * does not decode closes this one socket with 4400 and a reason, and is never delivered. (Oversized frames
 * never get here: `ws` closes those with 1009 through `maxPayload`.)
 */
/**
 * What the guard and the auth extension share about one socket. Hocuspocus queues a document's frames until
 * its Auth message is accepted, without a bound; counting those bytes lets the guard close a socket that
 * streams data it never authenticates, and keeps the sum over all sockets of the node under a cap of its own
 * (`PendingBudget`), however many sockets strangers open. The bytes of a document are released when it is
 * authenticated (Hocuspocus hands its queue over) and when the socket closes.
 */
export interface SocketState {
  authenticated: Set<string>
  /** Bytes this socket has queued now, over all its unauthenticated documents. */
  unauthenticatedBytes: number
  /** The same, per document. */
  pending: Map<string, number>
  budget: PendingBudget
}

/** Bytes queued before authentication on the whole node, and the most it may hold. */
export interface PendingBudget {
  bytes: number
  readonly max: number
}

export function newPendingBudget(max: number): PendingBudget {
  return { bytes: 0, max }
}

export function newSocketState(budget: PendingBudget = newPendingBudget(Infinity)): SocketState {
  return { authenticated: new Set(), unauthenticatedBytes: 0, pending: new Map(), budget }
}

/** The document's Auth was accepted: its queued frames are handed to its connection and no longer count. */
export function markAuthenticated(state: SocketState, documentName: string): void {
  state.authenticated.add(documentName)
  release(state, documentName)
}

/** The document's connection closed: its frames count again until a new Auth is accepted. */
export function markUnauthenticated(state: SocketState, documentName: string): void {
  state.authenticated.delete(documentName)
}

/** The socket closed: whatever it queued is gone. */
export function releaseSocket(state: SocketState): void {
  for (const documentName of [...state.pending.keys()]) release(state, documentName)
}

function release(state: SocketState, documentName: string): void {
  const bytes = state.pending.get(documentName) ?? 0
  state.pending.delete(documentName)
  state.unauthenticatedBytes -= bytes
  state.budget.bytes -= bytes
}

/** Counts a queued frame; says which bound it passes, if any (it is counted either way until released). */
function hold(state: SocketState, documentName: string, bytes: number, maxPerSocket: number) {
  state.pending.set(documentName, (state.pending.get(documentName) ?? 0) + bytes)
  state.unauthenticatedBytes += bytes
  state.budget.bytes += bytes
  if (state.unauthenticatedBytes > maxPerSocket) return 'socket'
  if (state.budget.bytes > state.budget.max) return 'node'
  return null
}

/** What a refused frame was: any malformed frame, or (one kind of it) an update that cannot be applied. */
export type Refusal = 'malformed' | 'unapplicable-update'

export function guardFrames(
  socket: WebSocket,
  deps: {
    log: Logger
    state: SocketState
    /** Per socket; the node's bound is in `state.budget`. */
    maxUnauthenticatedBytes: number
    onMalformed?: (refusal: Refusal) => void
    /** A socket was closed because the node holds too much unauthenticated data. */
    onBusy?: () => void
  },
): void {
  const refuse = (
    reason: string,
    detail: string,
    code: number = CloseCode.MalformedMessage,
    refusal: Refusal = 'malformed',
  ) => {
    deps.log.info('refused frame; closing the connection', { reason, detail: clipForLog(detail), code })
    if (code === CloseCode.TooMany) deps.onBusy?.()
    else deps.onMalformed?.(refusal)
    closeSocket(socket, code, reason)
    return false
  }
  interceptMessages(socket, (args, deliver) => {
    // A socket being closed (refused, or its access ended) delivers nothing more, though frames still arrive.
    if (socket.readyState !== socket.OPEN) return false
    const checked = checkFrame(args[0], args[1])
    if ('reason' in checked) return refuse(checked.reason, checked.detail, checked.code, checked.refusal)
    const { frame, bytes } = checked
    if (frame && frame.type !== MessageType.Auth && !deps.state.authenticated.has(frame.documentName)) {
      const over = hold(deps.state, frame.documentName, bytes, deps.maxUnauthenticatedBytes)
      if (over === 'socket') {
        return refuse('too much data before authentication', `${deps.state.unauthenticatedBytes} bytes`)
      }
      if (over === 'node') {
        const detail = `${deps.state.budget.bytes} bytes on the node`
        return refuse('server busy: too much data before authentication', detail, CloseCode.TooMany)
      }
    }
    return deliver(...args)
  })
}

/** What is wrong with a frame: a fixed reason for the client, and the decoder's own words for our log. */
interface Problem {
  reason: string
  detail: string
  /** The close code; 4400 unless an awareness state is out of bounds (4422). */
  code?: number
  refusal?: Refusal
}

function checkFrame(data: unknown, isBinary: unknown): Problem | { frame?: Frame; bytes: number } {
  // Hocuspocus re-emits queued frames without the flag; those were already checked (and counted) on arrival.
  if (isBinary === undefined) return { bytes: 0 }
  if (isBinary === false) return malformed('text frames are not accepted', 'text frame')
  if (!(data instanceof Uint8Array)) return malformed('unexpected frame payload', typeof data)
  try {
    return { frame: decodeFrameOnce(data), bytes: data.byteLength }
  } catch (e: unknown) {
    // Decoder messages can quote the input (JSON.parse does): never echo them to the client.
    const detail = e instanceof Error ? e.message : String(e)
    if (e instanceof UnapplicableUpdateError) {
      return { ...malformed(e.message, e.detail), refusal: 'unapplicable-update' }
    }
    if (e instanceof PresenceRefusal)
      return { reason: `invalid presence: ${e.message}`, detail, code: e.code }
    return malformed(e instanceof FrameError ? e.message : 'undecodable frame', detail)
  }
}

function malformed(reason: string, detail: string): Problem {
  return { reason: `malformed message: ${reason}`, detail }
}

/** The longest close reason the WebSocket protocol allows, in UTF-8 bytes (RFC 6455 §5.5). */
const MAX_REASON_BYTES = 123

/**
 * Closes with a reason cut to what the protocol allows; `ws` throws on a longer one, and a throw here (inside
 * `emit`) would take the process down.
 */
export function closeSocket(socket: WebSocket, code: number, reason: string): void {
  let cut = reason
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES) cut = cut.slice(0, -1)
  try {
    socket.close(code, cut)
  } catch {
    socket.terminate()
  }
}
