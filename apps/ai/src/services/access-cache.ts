import type { SessionUser } from '@mimiverse/db'
import { hashToken } from '@mimiverse/db'
import type { AccessChange } from '@mimiverse/server-kit'
import type { Role } from '@mimiverse/shared'

/**
 * Who a session is and which role a user has in a project, remembered for a few seconds so the completion hot
 * path (one request per pause in typing) does not run two SQL queries each time.
 *
 * The trade: a revoked grant may still be honoured on this path until `ttlMs` has passed, unless an access
 * change (services/index.ts subscribes it to the bus of @mimiverse/server-kit) invalidates it first: sign-out
 * and membership changes do, in this process at once and in others through Redis. Only positive answers are
 * kept (a new session or membership works at once; a flood of bad tokens cannot fill the cache), and a lookup
 * that raced with an invalidation is not kept, so an answer read before a revocation cannot outlive it.
 */
export interface AccessLookups {
  userForToken(token: string): Promise<SessionUser | null>
  roleOf(userId: string, projectId: string): Promise<Role | null>
}

export interface AccessCache extends AccessLookups {
  invalidate(change: AccessChange): void
  /** Entries held now (tests, metrics). */
  size(): { sessions: number; roles: number }
}

export interface AccessCacheOptions {
  lookups: AccessLookups
  /** How long an answer is trusted, in ms: the longest a revocation that nobody announced goes unseen. */
  ttlMs: number
  /** Entries per table; the oldest are dropped first. */
  maxEntries: number
  now?: () => number
}

export function createAccessCache(opts: AccessCacheOptions): AccessCache {
  const sessions = ttlMap<SessionUser>(opts)
  const roles = ttlMap<Role>(opts)
  // Bumped by every invalidation: a lookup that started before one does not store its answer.
  let generation = 0
  const remember = async <V>(
    table: TtlMap<V>,
    key: string,
    lookup: () => Promise<V | null>,
  ): Promise<V | null> => {
    const hit = table.get(key)
    if (hit !== undefined) return hit
    const started = generation
    const value = await lookup()
    if (value !== null && started === generation) table.set(key, value)
    return value
  }
  const roleKey = (userId: string, projectId: string) => `${userId}\n${projectId}`
  return {
    userForToken: (token) => remember(sessions, hashToken(token), () => opts.lookups.userForToken(token)),
    roleOf: (userId, projectId) =>
      remember(roles, roleKey(userId, projectId), () => opts.lookups.roleOf(userId, projectId)),
    invalidate(change) {
      generation += 1
      switch (change.kind) {
        case 'session':
          return void sessions.delete(change.tokenHash)
        case 'membership':
          return void roles.delete(roleKey(change.userId, change.projectId))
        case 'user':
          sessions.deleteWhere((user) => user.id === change.userId)
          return roles.deleteWhere((_, key) => key.startsWith(`${change.userId}\n`))
        case 'reset':
          sessions.clear()
          return roles.clear()
      }
    },
    size: () => ({ sessions: sessions.size(), roles: roles.size() }),
  }
}

interface TtlMap<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  delete(key: string): void
  deleteWhere(match: (value: V, key: string) => boolean): void
  clear(): void
  size(): number
}

function ttlMap<V>(opts: Pick<AccessCacheOptions, 'ttlMs' | 'maxEntries' | 'now'>): TtlMap<V> {
  const now = opts.now ?? Date.now
  const entries = new Map<string, { value: V; expires: number }>()
  return {
    get(key) {
      const e = entries.get(key)
      if (e && e.expires > now()) return e.value
      entries.delete(key)
      return undefined
    },
    set(key, value) {
      // Map order is insertion order: re-inserting makes the key the newest, and the first key the oldest.
      entries.delete(key)
      entries.set(key, { value, expires: now() + opts.ttlMs })
      while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value as string)
    },
    delete: (key) => void entries.delete(key),
    deleteWhere(match) {
      for (const [key, e] of entries) if (match(e.value, key)) entries.delete(key)
    },
    clear: () => entries.clear(),
    size: () => entries.size,
  }
}
