import { describe, expect, it } from 'vitest'
import { hashToken, type SessionUser } from '@mimiverse/db'
import type { Role } from '@mimiverse/shared'
import { createAccessCache, type AccessLookups } from './access-cache'

/** Lookups over plain maps that count the "queries", and a cache over them on a hand-driven clock. */
function newCache(overrides: { ttlMs?: number; maxEntries?: number } = {}) {
  const users = new Map<string, SessionUser>()
  const roles = new Map<string, Role>()
  const queries = { users: 0, roles: 0 }
  const lookups: AccessLookups = {
    userForToken: (token) => {
      queries.users += 1
      return Promise.resolve(users.get(token) ?? null)
    },
    roleOf: (userId, projectId) => {
      queries.roles += 1
      return Promise.resolve(roles.get(`${userId}/${projectId}`) ?? null)
    },
  }
  const clock = { now: 0 }
  const cache = createAccessCache({
    lookups,
    ttlMs: overrides.ttlMs ?? 5000,
    maxEntries: overrides.maxEntries ?? 100,
    now: () => clock.now,
  })
  return { cache, users, roles, queries, clock }
}

const ada = { id: 'u1', email: 'ada@example.com', name: 'Ada' }

describe('access cache', () => {
  it('answers repeats from memory until the TTL has passed', async () => {
    const { cache, users, roles, queries, clock } = newCache()
    users.set('t1', ada)
    roles.set('u1/p1', 'editor')
    for (let i = 0; i < 3; i++) {
      expect(await cache.userForToken('t1')).toEqual(ada)
      expect(await cache.roleOf('u1', 'p1')).toBe('editor')
    }
    expect(queries).toEqual({ users: 1, roles: 1 })
    users.delete('t1')
    roles.set('u1/p1', 'reviewer')
    clock.now = 4999
    expect(await cache.userForToken('t1')).toEqual(ada)
    clock.now = 5000
    expect(await cache.userForToken('t1')).toBeNull()
    expect(await cache.roleOf('u1', 'p1')).toBe('reviewer')
  })

  it('keeps no negative answer, so a new session or membership works at once', async () => {
    const { cache, users, roles } = newCache()
    expect(await cache.userForToken('t1')).toBeNull()
    expect(await cache.roleOf('u1', 'p1')).toBeNull()
    users.set('t1', ada)
    roles.set('u1/p1', 'owner')
    expect(await cache.userForToken('t1')).toEqual(ada)
    expect(await cache.roleOf('u1', 'p1')).toBe('owner')
  })

  it('forgets what an access change names, and only that', async () => {
    const { cache, users, roles, queries } = newCache()
    users
      .set('t1', ada)
      .set('t2', ada)
      .set('t3', { ...ada, id: 'u2' })
    roles.set('u1/p1', 'editor').set('u1/p2', 'editor').set('u2/p1', 'editor')
    const fill = async () => {
      for (const t of ['t1', 't2', 't3']) await cache.userForToken(t)
      for (const k of ['u1/p1', 'u1/p2', 'u2/p1']) await cache.roleOf(k.split('/')[0]!, k.split('/')[1]!)
    }
    await fill()
    cache.invalidate({ kind: 'session', tokenHash: hashToken('t1') })
    cache.invalidate({ kind: 'membership', userId: 'u1', projectId: 'p1' })
    expect(cache.size()).toEqual({ sessions: 2, roles: 2 })
    cache.invalidate({ kind: 'user', userId: 'u1' })
    expect(cache.size()).toEqual({ sessions: 1, roles: 1 })
    cache.invalidate({ kind: 'reset' })
    expect(cache.size()).toEqual({ sessions: 0, roles: 0 })
    await fill()
    expect(queries).toEqual({ users: 6, roles: 6 })
  })

  it('does not keep an answer read before an invalidation that arrived while it was read', async () => {
    const { cache, users, queries } = newCache()
    users.set('t1', ada)
    const reading = cache.userForToken('t1')
    cache.invalidate({ kind: 'session', tokenHash: hashToken('t1') })
    expect(await reading).toEqual(ada)
    expect(cache.size().sessions).toBe(0)
    await cache.userForToken('t1')
    expect(queries.users).toBe(2)
  })

  it('holds at most maxEntries per table, dropping the oldest', async () => {
    const { cache, users, roles, queries } = newCache({ maxEntries: 3 })
    for (let i = 0; i < 5; i++) {
      users.set(`t${i}`, { ...ada, id: `u${i}` })
      roles.set(`u${i}/p`, 'editor')
      await cache.userForToken(`t${i}`)
      await cache.roleOf(`u${i}`, 'p')
    }
    expect(cache.size()).toEqual({ sessions: 3, roles: 3 })
    await cache.userForToken('t4')
    await cache.userForToken('t0')
    expect(queries.users).toBe(6)
  })

  it('with a TTL of 0 asks every time', async () => {
    const { cache, users, queries } = newCache({ ttlMs: 0 })
    users.set('t1', ada)
    await cache.userForToken('t1')
    await cache.userForToken('t1')
    expect(queries.users).toBe(2)
  })
})
