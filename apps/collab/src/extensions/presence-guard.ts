import type { beforeHandleMessagePayload, Connection, Document, Extension } from '@hocuspocus/server'
import * as decoding from 'lib0/decoding'
import type WebSocket from 'ws'
import { CloseCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { PresenceRefusal, readAwarenessEntries, type AwarenessEntry } from '../protocol/awareness-check'
import { closeSocket } from '../protocol/frame-guard'
import { MessageType } from '../protocol/frame'
import {
  presenceProblem,
  principalOf,
  principalOfState,
  SpeakerKind,
  type Speaker,
} from '../protocol/presence-state'
import { createTokenBucket, type TokenBucket } from '../protocol/token-bucket'
import type { CollabContext } from './auth'

/** Presence updates a socket may send: sustained rates, and how many seconds' worth at once. */
export interface PresenceRates {
  messagesPerSecond: number
  bytesPerSecond: number
  burstSeconds: number
}

/** Why a presence update was refused, as the metric counts it. */
export const PresenceRefusalKind = {
  /** Fields or shapes the schema does not allow. */
  Invalid: 'invalid',
  /** A `user` that is not the connection's own. */
  Identity: 'identity',
  /** A client id that another principal holds. */
  Owner: 'owner',
  /** Over the socket's rate. */
  Rate: 'rate',
} as const
export type PresenceRefusalKind = (typeof PresenceRefusalKind)[keyof typeof PresenceRefusalKind]

interface Refusal {
  kind: PresenceRefusalKind
  code: number
  reason: string
}

/** What Hocuspocus gets for an update that arrives while its socket is being closed. */
const CLOSING = { code: CloseCode.InvalidPresence, reason: 'connection closing' }

/**
 * Ties presence (awareness) to its sender. Every awareness update a connection sends passes here before
 * Hocuspocus applies it (`beforeHandleMessage`; the frame guard has already bounded its size and depth):
 *
 *   1. Rate: each socket has a token bucket of messages and one of bytes (`PresenceRates`); over either, the
 *      socket is closed with 4429. Counted before anything is parsed.
 *   2. For each entry that would change the document's awareness (y-protocols' own rule: a newer clock, or a
 *      removal at the same clock; older entries, such as a stock provider's echo of others, change nothing):
 *      - ownership: the client id must be free (no connection here holds it and no state exists), or held by
 *        this connection, or by the same principal (a provider reconnecting while its old socket lingers, or a
 *        state that arrived from another node naming this user);
 *      - a state (not a removal) must fit the schema and name the connection's own user
 *        (`protocol/presence-state.ts`).
 *   Any failure closes the socket with 4422 and a fixed reason, and nothing of the update is applied.
 *   3. Accepted states are claimed: their client ids join this connection's `clients` (Hocuspocus removes those
 *      when the socket closes) and leave every other connection's, so a lingering old socket that closes later
 *      does not take the new one's presence with it.
 *
 * Hocuspocus answers a throw here by closing the document's connection (and sending the client a Close
 * message, which our web app takes for "file deleted"), so the socket is closed first with our code.
 */
export class PresenceGuardExtension implements Extension {
  extensionName = 'presence-guard'
  // Before the durable log and the rest: a refused update must cost nothing more.
  priority = 500
  private readonly budgets = new WeakMap<WebSocket, { messages: TokenBucket; bytes: TokenBucket }>()
  private readonly refused = new WeakSet<WebSocket>()

  constructor(
    private readonly deps: {
      rates: PresenceRates
      log: Logger
      onRefused?: (kind: PresenceRefusalKind) => void
    },
  ) {}

  // Async so that a refusal is a rejection, Hocuspocus' signal not to apply the message; the checks are synchronous.
  // eslint-disable-next-line @typescript-eslint/require-await
  async beforeHandleMessage({
    update: frame,
    connection,
    document,
    context,
  }: beforeHandleMessagePayload): Promise<void> {
    const payload = awarenessPayload(frame)
    if (!payload) return
    const socket = connection.webSocket
    // Refused a moment ago and closing: whatever else it sent is not applied either.
    if (this.refused.has(socket)) throw CLOSING
    // The workspace mirror's one socket joins every file of its project at once, each with its presence: a
    // service the server signs for, not a person moving a cursor, so no rate applies to it (its states are
    // still checked).
    const limited = !(context as CollabContext).workspace
    const refusal =
      (limited ? this.overRate(socket, frame.byteLength) : undefined) ??
      checkUpdate(payload, { document, connection, speaker: speakerOf(context as CollabContext) })
    if (!refusal) return
    this.deps.onRefused?.(refusal.kind)
    this.deps.log.info('presence refused; closing the connection', {
      doc: document.name,
      user: (context as CollabContext).user.id,
      kind: refusal.kind,
      reason: refusal.reason,
    })
    this.refused.add(socket)
    closeSocket(socket, refusal.code, refusal.reason)
    throw { code: refusal.code, reason: refusal.reason }
  }

  private overRate(socket: WebSocket, bytes: number): Refusal | undefined {
    let budget = this.budgets.get(socket)
    if (!budget) {
      const { messagesPerSecond, bytesPerSecond, burstSeconds } = this.deps.rates
      budget = {
        messages: createTokenBucket({
          ratePerSecond: messagesPerSecond,
          capacity: Math.max(1, messagesPerSecond * burstSeconds),
        }),
        bytes: createTokenBucket({ ratePerSecond: bytesPerSecond, capacity: bytesPerSecond * burstSeconds }),
      }
      this.budgets.set(socket, budget)
    }
    if (budget.messages.take() && budget.bytes.take(bytes)) return undefined
    return { kind: PresenceRefusalKind.Rate, code: CloseCode.TooMany, reason: 'too many presence updates' }
  }
}

/** The awareness update inside a frame, or undefined for other messages. */
function awarenessPayload(frame: Uint8Array): Uint8Array | undefined {
  const d = decoding.createDecoder(frame)
  decoding.readVarString(d)
  return decoding.readVarUint(d) === MessageType.Awareness ? decoding.readVarUint8Array(d) : undefined
}

function speakerOf(context: CollabContext): Speaker {
  const kind = context.workspace
    ? SpeakerKind.Workspace
    : context.agentRunId !== undefined
      ? SpeakerKind.Agent
      : SpeakerKind.User
  return {
    userId: context.user.id,
    name: context.user.name,
    kind,
    ...(context.agentAs ? { agentAs: context.agentAs } : {}),
  }
}

function refusal(kind: PresenceRefusalKind, reason: string): Refusal {
  return { kind, code: CloseCode.InvalidPresence, reason }
}

interface Sender {
  document: Document
  connection: Connection
  speaker: Speaker
}

/** Checks every entry first, then claims the accepted states: a refused update claims nothing. */
function checkUpdate(payload: Uint8Array, sender: Sender): Refusal | undefined {
  let entries: AwarenessEntry[]
  try {
    // Already bounded by the frame guard; checked again here so that this extension holds on its own.
    entries = readAwarenessEntries(decoding.createDecoder(payload))
  } catch (e: unknown) {
    if (e instanceof PresenceRefusal) return refusal(PresenceRefusalKind.Invalid, e.message)
    throw e
  }
  const effective = entries.filter((e) => takesEffect(sender.document, e))
  for (const entry of effective) {
    const problem = ownershipProblem(entry.clientId, sender) ?? stateProblem(entry.state, sender.speaker)
    if (problem) return problem
  }
  for (const { clientId, state } of effective) if (state !== null) claim(clientId, sender)
  return undefined
}

/** Whether y-protocols' `applyAwarenessUpdate` would change anything with this entry. */
function takesEffect({ awareness }: Document, { clientId, clock, state }: AwarenessEntry): boolean {
  const current = awareness.meta.get(clientId)?.clock ?? 0
  return current < clock || (current === clock && state === null && awareness.states.has(clientId))
}

function ownershipProblem(clientId: number, { document, connection, speaker }: Sender): Refusal | undefined {
  const notYours = refusal(PresenceRefusalKind.Owner, 'presence of another client')
  if (clientId === document.awareness.clientID) return notYours
  const principal = principalOf(speaker)
  const holder = holderOf(document, clientId)
  if (holder) {
    const same =
      holder === connection || principalOf(speakerOf(holder.context as CollabContext)) === principal
    return same ? undefined : notYours
  }
  const state = document.awareness.states.get(clientId)
  return state === undefined || principalOfState(state) === principal ? undefined : notYours
}

function stateProblem(state: unknown, speaker: Speaker): Refusal | undefined {
  const problem = state === null ? null : presenceProblem(state, speaker)
  if (!problem) return undefined
  return refusal(problem.forged ? PresenceRefusalKind.Identity : PresenceRefusalKind.Invalid, problem.reason)
}

/** The connection on this node whose client `clientId` is, as Hocuspocus records it. */
function holderOf(document: Document, clientId: number): Connection | undefined {
  for (const { clients, connection } of document.connections.values()) {
    if (clients.has(clientId)) return connection
  }
  return undefined
}

function claim(clientId: number, { document, connection }: Sender): void {
  for (const [socket, { clients }] of document.connections) {
    if (socket === connection.webSocket) clients.add(clientId)
    else clients.delete(clientId)
  }
}
