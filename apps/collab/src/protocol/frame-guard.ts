import type WebSocket from 'ws'
import { CloseCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { decodeFrameOnce, FrameError, MessageType, type Frame } from './frame'
import { UnapplicableUpdateError } from './update-check'

/**
 * Validates every frame of a socket before Hocuspocus sees it. Hocuspocus registers its own `message`
 * listener, which we cannot stop, so the socket's `emit` is wrapped instead: a frame that is not binary or
 * does not decode closes this one socket with 4400 and a reason, and is never delivered. (Oversized frames
 * never get here: `ws` closes those with 1009 through `maxPayload`.)
 */
/**
 * What the guard and the auth extension share about one socket. Hocuspocus queues a document's frames until
 * its Auth message is accepted, without a bound; counting those bytes lets the guard close a socket that
 * streams data it never authenticates.
 */
export interface SocketState {
  authenticated: Set<string>
  unauthenticatedBytes: number
}

export function newSocketState(): SocketState {
  return { authenticated: new Set(), unauthenticatedBytes: 0 }
}

/** What a refused frame was: any malformed frame, or (one kind of it) an update that cannot be applied. */
export type Refusal = 'malformed' | 'unapplicable-update'

export function guardFrames(
  socket: WebSocket,
  deps: {
    log: Logger
    state: SocketState
    maxUnauthenticatedBytes: number
    onMalformed?: (refusal: Refusal) => void
  },
): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean
  const refuse = (reason: string, detail: string, refusal: Refusal = 'malformed') => {
    deps.log.info('refused frame; closing the connection', { reason, detail })
    deps.onMalformed?.(refusal)
    closeSocket(socket, CloseCode.MalformedMessage, reason)
    return false
  }
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== 'message') return emit(event, ...args)
    const checked = checkFrame(args[0], args[1])
    if ('reason' in checked)
      return refuse(`malformed message: ${checked.reason}`, checked.detail, checked.refusal)
    const { frame, bytes } = checked
    if (frame && frame.type !== MessageType.Auth && !deps.state.authenticated.has(frame.documentName)) {
      deps.state.unauthenticatedBytes += bytes
      if (deps.state.unauthenticatedBytes > deps.maxUnauthenticatedBytes) {
        return refuse('too much data before authentication', `${deps.state.unauthenticatedBytes} bytes`)
      }
    }
    return emit(event, ...args)
  }) as typeof socket.emit
}

/** What is wrong with a frame: a fixed reason for the client, and the decoder's own words for our log. */
interface Problem {
  reason: string
  detail: string
  refusal?: Refusal
}

function checkFrame(data: unknown, isBinary: unknown): Problem | { frame?: Frame; bytes: number } {
  // Hocuspocus re-emits queued frames without the flag; those were already checked (and counted) on arrival.
  if (isBinary === undefined) return { bytes: 0 }
  if (isBinary === false) return { reason: 'text frames are not accepted', detail: 'text frame' }
  if (!(data instanceof Uint8Array)) return { reason: 'unexpected frame payload', detail: typeof data }
  try {
    return { frame: decodeFrameOnce(data), bytes: data.byteLength }
  } catch (e: unknown) {
    if (e instanceof UnapplicableUpdateError) {
      return { reason: e.message, detail: e.detail, refusal: 'unapplicable-update' }
    }
    // Decoder messages can quote the input (JSON.parse does): never echo them to the client.
    const detail = e instanceof Error ? e.message : String(e)
    return { reason: e instanceof FrameError ? e.message : 'undecodable frame', detail }
  }
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
