import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { MessageType, SyncType } from '../protocol/frame'

/**
 * Hostile frames for the collab fuzzer: what an editor or a reviewer who controls their client could send.
 *
 * Every frame is built from a seeded generator, so a failing run replays from its seed. The mix follows how
 * attacks on a Yjs server look: valid updates bent a little (a flipped bit, a cut tail, a zeroed length) reach
 * the deepest code, fully random bytes the shallowest; awareness states that are huge, deep, of the wrong shape,
 * or claim other people's client ids; and Hocuspocus frames of every type with wrong or trailing contents.
 */
export interface FuzzTarget {
  /** The document the attacker is authenticated for. */
  docName: string
  /** Other documents' names (another project's, or made up). */
  otherDocNames: string[]
  /** Client ids of honest people in the document, whose presence a forger would rewrite. */
  victimClientIds: () => number[]
  /** The attacker's own awareness client id. */
  ownClientId: number
  /** A clock above every one sent before: awareness ignores a state whose clock is not newer. */
  nextClock: () => number
}

type Random = () => number

/** The kinds of frame the fuzzer sends, each with its weight in the mix. */
const KINDS = [
  ['mutated update', 30],
  ['random update bytes', 6],
  ['mutated sync step 2', 6],
  ['known bad update', 3],
  ['awareness', 20],
  ['deep awareness', 3],
  ['forged awareness', 8],
  ['mutated frame', 14],
  ['random frame', 6],
  ['other document', 4],
] as const
export type FuzzKind = (typeof KINDS)[number][0]

/** Builds one hostile frame; `kind` says which generator made it (for the failure message). */
export function fuzzFrame(random: Random, target: FuzzTarget): { kind: FuzzKind; frame: Uint8Array } {
  const kind = pickWeighted(random, KINDS)
  return { kind, frame: build(kind, random, target) }
}

function build(kind: FuzzKind, random: Random, target: FuzzTarget): Uint8Array {
  const { docName } = target
  switch (kind) {
    case 'mutated update':
      return syncFrame(docName, SyncType.Update, mutate(random, validUpdate(random)))
    case 'random update bytes':
      return syncFrame(docName, SyncType.Update, randomBytes(random, 1 + int(random, 64)))
    case 'mutated sync step 2':
      return syncFrame(docName, SyncType.Step2, mutate(random, validUpdate(random)))
    case 'known bad update':
      return syncFrame(docName, SyncType.Update, pick(random, KNOWN_BAD_UPDATES))
    case 'awareness':
      return awarenessFrame(docName, [[target.ownClientId, target.nextClock(), randomState(random)]])
    case 'deep awareness':
      return awarenessFrame(docName, [[target.ownClientId, target.nextClock(), deepJson(random)]])
    case 'forged awareness': {
      const victims = target.victimClientIds()
      const id = victims.length > 0 ? pick(random, victims) : int(random, 2 ** 31)
      const state = random() < 0.5 ? 'null' : randomState(random)
      return awarenessFrame(docName, [[id, 1_000_000 + target.nextClock(), state]])
    }
    case 'mutated frame':
      return mutate(random, build(pick(random, ['mutated update', 'awareness'] as const), random, target))
    case 'random frame':
      return randomFrame(random, docName)
    case 'other document':
      return syncFrame(pick(random, target.otherDocNames), SyncType.Update, validUpdate(random))
  }
}

/** Updates that decode but once could not be applied (a delete range of length 0 for an unknown client). */
const KNOWN_BAD_UPDATES = [new Uint8Array([0x00, 0x01, 0x95, 0x9a, 0xef, 0x3a, 0x01, 0x00, 0x00])]

/** A real Yjs update: a few edits by a made-up client, sometimes on another shared type. */
export function validUpdate(random: Random): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 1 + int(random, 2 ** 30)
  const text = doc.getText(CONTENT_FIELD)
  const edits = 1 + int(random, 4)
  for (let i = 0; i < edits; i++) {
    if (text.length > 0 && random() < 0.3) text.delete(int(random, text.length), 1)
    else text.insert(int(random, text.length + 1), randomText(random, 1 + int(random, 8)))
  }
  if (random() < 0.1) doc.getMap('meta').set(randomText(random, 3), int(random, 100))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** Bends bytes the way real corruption and hand-made attacks do. */
export function mutate(random: Random, input: Uint8Array): Uint8Array {
  const bytes = [...input]
  const rounds = 1 + int(random, 3)
  for (let r = 0; r < rounds; r++) {
    const at = int(random, Math.max(bytes.length, 1))
    switch (int(random, 7)) {
      case 0:
        bytes[at] = (bytes[at] ?? 0) ^ (1 << int(random, 8))
        break
      case 1:
        bytes.splice(at, 1)
        break
      case 2:
        bytes.splice(at, 0, int(random, 256))
        break
      case 3:
        bytes.length = at
        break
      case 4:
        bytes[at] = 0
        break
      case 5:
        bytes[at] = pick(random, [0x7f, 0x80, 0xff])
        break
      default:
        bytes.splice(at, 0, ...bytes.slice(0, int(random, 16)))
    }
  }
  return new Uint8Array(bytes)
}

function syncFrame(docName: string, syncType: number, payload: Uint8Array): Uint8Array {
  return frame(docName, (e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, syncType)
    encoding.writeVarUint8Array(e, payload)
  })
}

function awarenessFrame(docName: string, entries: [number, number, string][]): Uint8Array {
  const body = encoding.createEncoder()
  encoding.writeVarUint(body, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(body, clientId)
    encoding.writeVarUint(body, clock)
    encoding.writeVarString(body, state)
  }
  return frame(docName, (e) => {
    encoding.writeVarUint(e, MessageType.Awareness)
    encoding.writeVarUint8Array(e, encoding.toUint8Array(body))
  })
}

/** A Hocuspocus frame of any type, with contents that may or may not fit it. */
function randomFrame(random: Random, docName: string): Uint8Array {
  return frame(docName, (e) => {
    encoding.writeVarUint(e, int(random, 12))
    const parts = int(random, 4)
    for (let i = 0; i < parts; i++) {
      if (random() < 0.5) encoding.writeVarUint(e, int(random, 2 ** 20))
      else encoding.writeVarUint8Array(e, randomBytes(random, int(random, 32)))
    }
  })
}

/**
 * The Auth frame a provider sends first for each document. `authType` other than 0 (Token) is what only a server
 * sends (1 permission denied, 2 authenticated).
 */
export function authFrame(docName: string, token: string, authType = 0): Uint8Array {
  return frame(docName, (e) => {
    encoding.writeVarUint(e, MessageType.Auth)
    encoding.writeVarUint(e, authType)
    encoding.writeVarString(e, token)
  })
}

/** A SyncStep1 with an empty state vector: the server answers with the whole document (a round-trip probe). */
export function probeFrame(docName: string): Uint8Array {
  return syncFrame(docName, SyncType.Step1, new Uint8Array([0]))
}

function frame(docName: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, docName)
  write(e)
  return encoding.toUint8Array(e)
}

/** An awareness state as JSON: the expected fields with odd values, unexpected fields, odd types. */
function randomState(random: Random): string {
  const state: Record<string, unknown> = {}
  if (random() < 0.8)
    state.user = { id: randomText(random, 8), name: randomText(random, 6), color: '#abcdef' }
  if (random() < 0.5) state.file = { docName: randomText(random, 10), path: randomText(random, 12) }
  if (random() < 0.4) state.selection = { anchor: randomJson(random, 3), head: randomJson(random, 3) }
  if (random() < 0.3) state[randomText(random, 5)] = randomJson(random, 4)
  if (random() < 0.05) state.padding = 'x'.repeat(int(random, 200_000))
  return random() < 0.1 ? JSON.stringify(randomJson(random, 3)) : JSON.stringify(state)
}

/** Nested arrays or objects thousands deep: parsing them is fine, encoding them again overflowed the stack. */
function deepJson(random: Random): string {
  const depth = 100 + int(random, 50_000)
  return random() < 0.5
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}

function randomJson(random: Random, depth: number): unknown {
  const r = random()
  if (depth <= 0 || r < 0.4) return pick(random, [null, true, 0, -1, 1e308, randomText(random, 5)])
  if (r < 0.7) return Array.from({ length: int(random, 4) }, () => randomJson(random, depth - 1))
  return Object.fromEntries(
    Array.from({ length: int(random, 4) }, () => [randomText(random, 4), randomJson(random, depth - 1)]),
  )
}

const ALPHABET = 'abcxyz {}()\n\t\u00e9\u4e00\u{1f600}\u202e\u200b'

function randomText(random: Random, length: number): string {
  const chars = [...ALPHABET]
  return Array.from({ length }, () => pick(random, chars)).join('')
}

function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => int(random, 256))
}

function int(random: Random, below: number): number {
  return Math.floor(random() * below)
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[int(random, items.length)] as T
}

function pickWeighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0)
  let r = random() * total
  for (const [item, w] of items) {
    r -= w
    if (r < 0) return item
  }
  return (items[items.length - 1] as readonly [T, number])[0]
}
