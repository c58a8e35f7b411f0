import type { IncomingMessage } from 'node:http'
import type WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { CloseCode } from '@mimiverse/shared'
import { interceptMessages, wrapSend } from '../patches/socket'
import { closeSocket } from './frame-guard'
import { MessageType } from './frame'

/**
 * The y-websocket wire protocol on one socket per document, spoken by `y-websocket`'s `WebsocketProvider` and
 * most Yjs editor integrations, carried onto the Hocuspocus protocol so that every guard, hook and extension of
 * `/collab` (frame checks, authentication and roles, the durable log, presence checks and throttling, caps and
 * revocation) applies unchanged.
 *
 * A y-websocket frame is `varUint messageType, body`: Sync (0: SyncStep1, SyncStep2 or Update) and Awareness (1)
 * both ways, QueryAwareness (3). A Hocuspocus frame is the same with the document name in front, so:
 *   - in: the socket's document name is put in front of each frame, which then goes through the frame guard as
 *     any provider's would; a message type y-websocket clients do not send (Auth 2 and anything else) closes
 *     the socket with 4400. The Auth frame Hocuspocus waits for is made on the server from the token of the
 *     upgrade request (query parameter `token`, or a subprotocol `token.<token>`).
 *   - out: the name is taken off; SyncReply (4) becomes Sync (0); what y-websocket has no message for is not
 *     sent: Auth answers (the refusal arrives as the close code and reason), SyncStatus (acknowledgements),
 *     stateless messages and Close.
 */

/** The path prefix of the endpoint: `/yjs/<projectId>/<fileId>`. */
export const YJS_PATH = '/yjs/'

/** The subprotocol the server selects when the client offers it (with `token.<token>` beside it). */
export const YJS_SUBPROTOCOL = 'yjs'
const TOKEN_SUBPROTOCOL = 'token.'

/** The document name of a `/yjs/…` path, or null when the path names none. */
export function yjsDocName(pathname: string): string | null {
  if (!pathname.startsWith(YJS_PATH)) return null
  try {
    const name = decodeURIComponent(pathname.slice(YJS_PATH.length))
    return name.length > 0 && name.length <= 256 ? name : null
  } catch {
    return null
  }
}

/** The token of a y-websocket upgrade: the subprotocol `token.<token>` if offered, else `?token=`. */
export function yjsToken(req: IncomingMessage): string {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_SUBPROTOCOL))
  if (offered) return offered.slice(TOKEN_SUBPROTOCOL.length)
  const query = (req.url ?? '').split('?')[1] ?? ''
  return new URLSearchParams(query).get('token') ?? ''
}

/**
 * The subprotocol to answer with: `yjs` if offered, else the token entry (a browser fails a connection whose
 * offered subprotocols were all ignored), else none.
 */
export function selectYjsSubprotocol(protocols: Set<string>): string | false {
  if (protocols.has(YJS_SUBPROTOCOL)) return YJS_SUBPROTOCOL
  for (const p of protocols) if (p.startsWith(TOKEN_SUBPROTOCOL)) return p
  return false
}

/** y-websocket message types a client sends. */
const INCOMING = new Set<number>([MessageType.Sync, MessageType.Awareness, MessageType.QueryAwareness])

function prefixed(documentName: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, documentName)
  write(e)
  return encoding.toUint8Array(e)
}

/** The y-websocket frame as a Hocuspocus frame of `documentName`, or null for a type we do not take. */
export function toHocuspocusFrame(documentName: string, frame: Uint8Array): Uint8Array | null {
  let type: number
  try {
    type = decoding.readVarUint(decoding.createDecoder(frame))
  } catch {
    return null
  }
  if (!INCOMING.has(type)) return null
  return prefixed(documentName, (e) => encoding.writeUint8Array(e, frame))
}

/** The Hocuspocus frame as a y-websocket frame, or null when y-websocket has no such message. */
export function toYjsFrame(frame: Uint8Array): Uint8Array | null {
  const d = decoding.createDecoder(frame)
  decoding.readVarString(d)
  const type = decoding.readVarUint(d)
  const rest = frame.subarray(d.pos)
  switch (type) {
    case MessageType.Sync:
    case MessageType.SyncReply:
      return withType(MessageType.Sync, rest)
    case MessageType.Awareness:
    case MessageType.QueryAwareness:
      return withType(type, rest)
    default:
      return null
  }
}

function withType(type: number, rest: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  encoding.writeUint8Array(e, rest)
  return encoding.toUint8Array(e)
}

/** The Auth frame a Hocuspocus provider would send first, made from the upgrade's token. */
export function authFrame(documentName: string, token: string): Uint8Array {
  return prefixed(documentName, (e) => {
    encoding.writeVarUint(e, MessageType.Auth)
    encoding.writeVarUint(e, 0)
    encoding.writeVarString(e, token)
  })
}

/**
 * Makes a socket of the y-websocket protocol look like a Hocuspocus provider's, for the one document it is
 * for. Call after the frame guard wrapped the socket (frames are translated first, then checked) and before
 * Hocuspocus takes it; then `authenticate()` once Hocuspocus listens.
 */
export function speakYWebsocket(
  ws: WebSocket,
  deps: { documentName: string; token: string; onMalformed: () => void },
): { authenticate(): void } {
  const { documentName } = deps
  const guarded = interceptMessages(ws, (args, deliver) => {
    // Hocuspocus re-emits the frames it queued before authentication without the flag: already translated.
    if (args[1] !== true || !(args[0] instanceof Uint8Array)) return deliver(...args)
    if (ws.readyState !== ws.OPEN) return false
    const frame = toHocuspocusFrame(documentName, args[0])
    if (!frame) {
      deps.onMalformed()
      closeSocket(ws, CloseCode.MalformedMessage, 'malformed message: unsupported message type')
      return false
    }
    return deliver(frame, true)
  })
  wrapSend(ws, (send, [data, ...rest]) => {
    if (!(data instanceof Uint8Array)) return send(data, ...rest)
    const frame = toYjsFrame(data)
    if (frame) send(frame, ...rest)
  })
  return {
    authenticate: () => void guarded(authFrame(documentName, deps.token), true),
  }
}
