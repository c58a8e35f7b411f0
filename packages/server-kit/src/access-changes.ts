import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { Logger } from './logger'

/**
 * Announcements that a grant ended or changed, for services that cache who a session is and which role a user
 * has (the AI service's completion path does, for a few seconds).
 *
 * Flow: the workspace API changes the database first (deletes the session, writes the membership), then
 * publishes. Subscribers of the same bus instance hear it synchronously, inside `publish`, so in one process
 * (the embedded default, where collab and the AI service share the bus) the change is in force before the API
 * call returns. With Redis, the change also goes out on the channel `ACCESS_CHANNEL`; every other instance
 * hears it about a round trip later. A message lost to a Redis outage is covered by the subscribers' short TTL,
 * and a subscriber that lost its connection drops everything it cached (`reset`) when it is back.
 */
export const ACCESS_CHANNEL = 'mimi:access-changes'

export const accessChangeSchema = z.discriminatedUnion('kind', [
  /** One session ended (sign-out, deletion); the SHA-256 of its token, as stored, never the token. */
  z.object({ kind: z.literal('session'), tokenHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** Every session and membership of a user (account deleted, all sessions revoked). */
  z.object({ kind: z.literal('user'), userId: z.string().min(1).max(64) }),
  /** The user's role in the project changed, or the user left or was removed. */
  z.object({
    kind: z.literal('membership'),
    userId: z.string().min(1).max(64),
    projectId: z.string().min(1).max(64),
  }),
  /** Forget everything (a subscriber that may have missed messages). */
  z.object({ kind: z.literal('reset') }),
])
export type AccessChange = z.infer<typeof accessChangeSchema>

export interface AccessChanges {
  /** Tells local subscribers at once, then other instances through Redis (when configured). */
  publish(change: AccessChange): Promise<void>
  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: AccessChange) => void): () => void
  /** Resolves once other instances' changes are heard (the Redis subscription is active); at once without Redis. */
  ready(): Promise<void>
  close(): Promise<void>
}

export interface AccessChangesOptions {
  /**
   * A connection to publish on; a duplicate of it subscribes. Omit for one process only. Channels are not
   * under the client's `keyPrefix`, so every service meets on the same channel whatever its prefix.
   */
  redis?: Redis | null
  log: Logger
}

const envelopeSchema = z.object({ from: z.string(), change: accessChangeSchema })

export function createAccessChanges(opts: AccessChangesOptions): AccessChanges {
  const { log } = opts
  const id = randomUUID()
  const listeners = new Set<(change: AccessChange) => void>()
  const deliver = (change: AccessChange) => {
    for (const l of listeners) l(change)
  }
  const subscriber = opts.redis ? subscribeRemote(opts.redis, { id, log, deliver }) : null
  return {
    async publish(change) {
      deliver(change)
      if (!opts.redis) return
      try {
        await opts.redis.publish(ACCESS_CHANNEL, JSON.stringify({ from: id, change }))
      } catch (e: unknown) {
        // The other instances' TTL bounds how long they keep the old grant.
        log.warn('could not publish an access change', { kind: change.kind, error: e })
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    ready: () => subscriber?.ready ?? Promise.resolve(),
    close: async () => {
      listeners.clear()
      await subscriber?.connection.quit().catch(() => subscriber.connection.disconnect())
    },
  }
}

function subscribeRemote(
  redis: Redis,
  ctx: { id: string; log: Logger; deliver: (c: AccessChange) => void },
): { connection: Redis; ready: Promise<void> } {
  // Queue the SUBSCRIBE until connected even when the publishing client fails fast (the AI service's does).
  const sub = redis.duplicate({ enableOfflineQueue: true, keyPrefix: undefined })
  let connectedBefore = false
  sub.on('error', (e: Error) => ctx.log.warn('access change subscriber error', { error: e.message }))
  sub.on('ready', () => {
    // Messages published while we were away are lost: forget what may have been revoked meanwhile.
    if (connectedBefore) ctx.deliver({ kind: 'reset' })
    connectedBefore = true
  })
  sub.on('message', (_channel: string, text: string) => {
    const parsed = envelopeSchema.safeParse(safeJson(text))
    if (!parsed.success) return void ctx.log.warn('ignored a malformed access change')
    if (parsed.data.from !== ctx.id) ctx.deliver(parsed.data.change)
  })
  const ready = sub.subscribe(ACCESS_CHANNEL).then(
    () => undefined,
    (e: unknown) => ctx.log.warn('could not subscribe to access changes', { error: e }),
  )
  return { connection: sub, ready }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
