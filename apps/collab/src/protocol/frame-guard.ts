import type WebSocket from 'ws'
import { CloseCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { decodeFrameOnce } from './frame'

/**
 * Validates every frame of a socket before Hocuspocus sees it. Hocuspocus registers its own `message`
 * listener, which we cannot stop, so the socket's `emit` is wrapped instead: a frame that is not binary or
 * does not decode closes this one socket with 4400 and a reason, and is never delivered. (Oversized frames
 * never get here: `ws` closes those with 1009 through `maxPayload`.)
 */
export function guardFrames(socket: WebSocket, log: Logger, onMalformed?: () => void): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message') {
      const problem = frameProblem(args[0], args[1])
      if (problem) {
        log.info('malformed frame; closing the connection', { problem })
        onMalformed?.()
        socket.close(CloseCode.MalformedMessage, `malformed message: ${problem}`.slice(0, 120))
        return false
      }
    }
    return emit(event, ...args)
  }) as typeof socket.emit
}

function frameProblem(data: unknown, isBinary: unknown): string | null {
  // Hocuspocus re-emits queued frames without the flag; those were already checked on arrival.
  if (isBinary === false) return 'text frames are not accepted'
  if (!(data instanceof Uint8Array)) return 'unexpected frame payload'
  try {
    decodeFrameOnce(data)
    return null
  } catch (e: unknown) {
    return e instanceof Error ? e.message : 'undecodable'
  }
}
