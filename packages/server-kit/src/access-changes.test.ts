import { Redis } from 'ioredis'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ACCESS_CHANNEL, createAccessChanges, type AccessChange } from './access-changes'
import { createLogger } from './logger'

/** Redis 7 on this machine (CI: a redis service); override with TEST_REDIS_URL. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const log = createLogger('silent')

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A bus as a service builds it (a publishing client without offline queue, as the AI service's). */
async function newBus(redis: boolean) {
  const client = redis ? new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null
  client?.on('error', () => {})
  const bus = createAccessChanges({ redis: client, log })
  cleanups.push(async () => {
    await bus.close()
    client?.disconnect()
  })
  await bus.ready()
  const heard: AccessChange[] = []
  bus.subscribe((c) => heard.push(c))
  return { bus, heard, client }
}

const session: AccessChange = { kind: 'session', tokenHash: 'a'.repeat(64) }

describe('access changes', () => {
  it('tells local subscribers before publish returns, and stops after unsubscribe', async () => {
    const { bus, heard } = await newBus(false)
    const later: AccessChange[] = []
    const off = bus.subscribe((c) => later.push(c))
    const published = bus.publish(session)
    expect(heard).toEqual([session])
    await published
    off()
    await bus.publish({ kind: 'user', userId: 'u1' })
    expect(later).toEqual([session])
    expect(heard).toHaveLength(2)
  })

  it('carries changes to the other instances through Redis, once each, ignoring malformed messages', async () => {
    const one = await newBus(true)
    const two = await newBus(true)
    const change: AccessChange = { kind: 'membership', userId: 'u1', projectId: 'p1' }
    await one.bus.publish(change)
    await two.client!.publish(ACCESS_CHANNEL, '{"from":"x","change":{"kind":"session","tokenHash":"nope"}}')
    await two.bus.publish(session)
    // Each hears its own change at once and the other's a round trip later: order them by kind.
    const byKind = (cs: AccessChange[]) => [...cs].sort((a, b) => a.kind.localeCompare(b.kind))
    for (const { heard } of [one, two]) {
      await vi.waitFor(() => expect(byKind(heard)).toEqual([change, session]), {
        timeout: 5000,
        interval: 10,
      })
    }
  })
})
