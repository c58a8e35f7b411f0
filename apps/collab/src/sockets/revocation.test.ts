import { describe, expect, it, vi } from 'vitest'
import type WebSocket from 'ws'
import { createAccessChanges, createLogger } from '@mimiverse/server-kit'
import { CloseCode, type Role } from '@mimiverse/shared'
import type { AccessService } from '../services/access'
import { SocketRegistry, type Grant, type LiveSocket } from './registry'
import { closeOnAccessChanges } from './revocation'

const caps = { sockets: 9, socketsPerAddress: 9, socketsPerUser: 9, documentsPerUser: 9 }
const session = (c: string) => c.repeat(64)

function setup(db: { roles: Map<string, Role>; sessions: Set<string>; failRoles?: boolean }) {
  const bus = createAccessChanges({ log: createLogger('silent') })
  const registry = new SocketRegistry(caps)
  const access = {
    roleOf: (userId: string, projectId: string) =>
      db.failRoles
        ? Promise.reject(new Error('database down'))
        : Promise.resolve(db.roles.get(`${userId}/${projectId}`) ?? null),
    sessionActive: (_userId: string, tokenHash: string) => Promise.resolve(db.sessions.has(tokenHash)),
  } as AccessService
  closeOnAccessChanges({ bus, registry, access, log: createLogger('silent') })
  const open = (grant: Grant) => {
    const closed: number[] = []
    const socket = { close: (code: number) => closed.push(code) } as unknown as WebSocket
    const live: LiveSocket = { socket, grants: new Map(), authenticated: false }
    registry.grant(live, `${grant.projectId}/doc`, grant)
    return closed
  }
  return { bus, registry, open }
}

describe('closeOnAccessChanges', () => {
  it('checks every open grant again after a reset (messages may have been missed)', async () => {
    const db = { roles: new Map<string, Role>([['ann/p', 'editor']]), sessions: new Set([session('a')]) }
    const { bus, registry, open } = setup(db)
    const kept = open({ userId: 'ann', projectId: 'p', role: 'editor', sessionTokenHash: session('a') })
    const signedOut = open({ userId: 'ann', projectId: 'p', role: 'editor', sessionTokenHash: session('b') })
    const lowered = open({ userId: 'ann', projectId: 'p', role: 'owner', sessionTokenHash: session('a') })
    const removed = open({ userId: 'bob', projectId: 'p', role: 'editor' })

    const epoch = registry.accessEpoch
    await bus.publish({ kind: 'reset' })
    expect(registry.accessEpoch).toBe(epoch + 1)
    await vi.waitFor(() => {
      expect([kept, signedOut, lowered, removed]).toEqual([
        [],
        [CloseCode.Unauthorized],
        [CloseCode.AccessChanged],
        [CloseCode.Forbidden],
      ])
    })
  })

  it('closes with 4409 when the new role cannot be read (the reconnect checks again)', async () => {
    const { bus, open } = setup({ roles: new Map(), sessions: new Set(), failRoles: true })
    const closed = open({ userId: 'ann', projectId: 'p', role: 'editor' })
    const other = open({ userId: 'ann', projectId: 'q', role: 'editor' })
    await bus.publish({ kind: 'membership', userId: 'ann', projectId: 'p' })
    await vi.waitFor(() => expect(closed).toEqual([CloseCode.AccessChanged]))
    expect(other).toEqual([])
  })
})
