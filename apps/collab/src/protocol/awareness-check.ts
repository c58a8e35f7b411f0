import * as decoding from 'lib0/decoding'
import { CloseCode } from '@mimiverse/shared'

/**
 * Structural bounds on awareness (presence) updates, checked on every frame before anything parses a state.
 *
 * An awareness update is `count, (clientID, clock, JSON state | "null")*` (y-protocols `awareness.js`). The server
 * parses each state, keeps it, and re-encodes it for every connection of the document and for Redis; both
 * `JSON.stringify` and y-protocols' deep equality recurse, so a deeply nested state that `JSON.parse` accepts
 * (V8 parses iteratively) overflows the stack later, in a timer, where nothing catches it. So before parsing:
 * at most `maxEntries` states per update, each at most `maxStateBytes` of UTF-8, nested at most `maxDepth` deep,
 * the depth counted by one pass over the text (no recursion) that skips brackets inside strings.
 *
 * What clients really send is far below these bounds: the web app's state (user, file, selection as two Yjs
 * relative positions) is under 1 KiB and 4 levels deep, and our provider sends one state per update.
 * Which fields a state may hold and whose it may be is decided per connection (`extensions/presence-guard.ts`).
 */
export const AwarenessLimits = {
  maxEntries: 64,
  maxStateBytes: 8 * 1024,
  maxDepth: 8,
} as const

/** One client's entry in an awareness update; `state` null removes the client. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  state: unknown
}

/** A presence update we refuse; the message is ours (short, ASCII), safe to send back as the close reason. */
export class PresenceRefusal extends Error {
  override readonly name = 'PresenceRefusal'

  constructor(
    message: string,
    /** The close code the socket gets: 4422 for a refused state, 4429 for too many. */
    readonly code: number = CloseCode.InvalidPresence,
  ) {
    super(message)
  }
}

const textDecoder = new TextDecoder()

/**
 * Reads the entries of an awareness update from `d`, within `AwarenessLimits`: throws a PresenceRefusal for an
 * update out of bounds, and the decoder's or `JSON.parse`'s own error for one that does not decode.
 */
export function readAwarenessEntries(d: decoding.Decoder): AwarenessEntry[] {
  const count = decoding.readVarUint(d)
  if (count > AwarenessLimits.maxEntries) {
    throw new PresenceRefusal(`more than ${AwarenessLimits.maxEntries} states in one update`)
  }
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    // The same bytes `readVarString` would decode: the size is checked before any text is made of them.
    const bytes = decoding.readVarUint8Array(d)
    if (bytes.byteLength > AwarenessLimits.maxStateBytes) {
      throw new PresenceRefusal(`state larger than ${AwarenessLimits.maxStateBytes} bytes`)
    }
    const json = textDecoder.decode(bytes)
    if (nestingExceeds(json, AwarenessLimits.maxDepth)) {
      throw new PresenceRefusal(`state nested deeper than ${AwarenessLimits.maxDepth} levels`)
    }
    entries.push({ clientId, clock, state: JSON.parse(json) as unknown })
  }
  return entries
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN = new Set([0x5b, 0x7b]) // [ {
const CLOSE = new Set([0x5d, 0x7d]) // ] }

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, in one iterative pass. Brackets inside
 * strings do not count; an escaped quote does not end a string. Text that is not JSON gets some answer and is
 * then refused by `JSON.parse`.
 */
export function nestingExceeds(json: string, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (OPEN.has(c)) {
      if (++depth > maxDepth) return true
    } else if (CLOSE.has(c)) depth--
  }
  return false
}
