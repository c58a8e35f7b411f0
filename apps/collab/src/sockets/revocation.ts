import type { AccessChange, AccessChanges, Logger } from '@mimiverse/server-kit'
import { CloseCode, type Role } from '@mimiverse/shared'
import { closeSocket } from '../protocol/frame-guard'
import type { AccessService } from '../services/access'
import type { Grant, LiveSocket, SocketRegistry } from './registry'

/**
 * Ends live collaboration as soon as access ends or changes, on every node. The workspace API changes the
 * database, then announces the change on the access-changes bus, which every node hears (over Redis between
 * nodes; see `@mimiverse/server-kit` access-changes):
 *
 * - `session` (a sign-out): the sockets with a document opened with that session's tokens close with 4401; the
 *   tokens themselves are refused from then on (authentication checks the session).
 * - `user`: every socket with a document of the user closes with 4401.
 * - `membership`: the role is read again. Gone: the user's sockets with documents of the project close with 4403;
 *   changed: with 4409, and the provider reconnects with a fresh token and gets the new role. If it cannot be
 *   read, 4409 too: the reconnect checks again.
 * - `reset` (this node may have missed announcements while Redis was away): every open grant is checked again.
 *
 * The whole socket closes, not only the document: a provider sees close codes only for its socket, and the other
 * documents on it reconnect at once. Returns the function that stops listening.
 */
export function closeOnAccessChanges(deps: {
  bus: AccessChanges
  registry: SocketRegistry
  access: AccessService
  log: Logger
}): () => void {
  const { registry, log } = deps
  return deps.bus.subscribe((change) => {
    // Synchronously, before anything is awaited: an authentication in progress must see that it may be stale.
    registry.accessEpoch += 1
    apply(change, deps).then(
      (closed) => {
        if (closed > 0)
          log.info('closed collab sockets after an access change', { kind: change.kind, closed })
      },
      (e: unknown) =>
        log.warn('could not apply an access change to open sockets', { kind: change.kind, error: e }),
    )
  })
}

interface Deps {
  registry: SocketRegistry
  access: AccessService
}

/** Closes the sockets `change` ends; resolves with how many. */
async function apply(change: AccessChange, deps: Deps): Promise<number> {
  const { registry } = deps
  switch (change.kind) {
    case 'session':
      return closeAll(
        registry.socketsWhere((g) => g.sessionTokenHash === change.tokenHash),
        CloseCode.Unauthorized,
      )
    case 'user':
      return closeAll(
        registry.socketsWhere((g) => g.userId === change.userId, change.userId),
        CloseCode.Unauthorized,
      )
    case 'membership': {
      const { userId, projectId } = change
      const affected = registry.socketsWhere((g) => g.userId === userId && g.projectId === projectId, userId)
      if (affected.size === 0) return 0
      const role = await deps.access.roleOf(userId, projectId).catch(() => undefined)
      let closed = 0
      for (const [live, grants] of affected) {
        const code = role === undefined ? CloseCode.AccessChanged : verdict(role, grants)
        if (code) closed += close(live, code)
      }
      return closed
    }
    case 'reset':
      return recheckAll(deps)
  }
}

/** Checks every open grant against the database again (sessions and roles, each read once). */
async function recheckAll({ registry, access }: Deps): Promise<number> {
  const roles = new Map<string, Promise<Role | null>>()
  const sessions = new Map<string, Promise<boolean>>()
  const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    const cached = cache.get(key) ?? read()
    cache.set(key, cached)
    return cached
  }
  let closed = 0
  for (const [live, grants] of registry.socketsWhere(() => true)) {
    for (const g of grants) {
      const session = g.sessionTokenHash
      const active =
        !session ||
        (await once(sessions, `${g.userId}/${session}`, () => access.sessionActive(g.userId, session)))
      const role = await once(roles, `${g.userId}/${g.projectId}`, () => access.roleOf(g.userId, g.projectId))
      const code = active ? verdict(role, [g]) : CloseCode.Unauthorized
      if (code) {
        closed += close(live, code)
        break
      }
    }
  }
  return closed
}

/** How a socket whose documents were opened with `grants` must close now that the role is `role`, if at all. */
function verdict(role: Role | null, grants: Grant[]): CloseCode | null {
  if (role === null) return CloseCode.Forbidden
  return grants.some((g) => g.role !== role) ? CloseCode.AccessChanged : null
}

const REASONS: Partial<Record<CloseCode, string>> = {
  [CloseCode.Unauthorized]: 'signed out or access revoked',
  [CloseCode.Forbidden]: 'no longer a member of this project',
  [CloseCode.AccessChanged]: 'access changed; reconnect',
}

function closeAll(sockets: Map<LiveSocket, Grant[]>, code: CloseCode): number {
  let closed = 0
  for (const live of sockets.keys()) closed += close(live, code)
  return closed
}

function close(live: LiveSocket, code: CloseCode): number {
  closeSocket(live.socket, code, REASONS[code] ?? 'access changed')
  return 1
}
