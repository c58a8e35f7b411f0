import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { Cap, SocketRegistry, type Grant, type LiveSocket } from './registry'

const live = (): LiveSocket => ({ socket: {} as WebSocket, grants: new Map(), authenticated: false })
const grant = (userId: string, projectId = 'p'): Grant => ({ userId, projectId, role: 'editor' })

describe('SocketRegistry', () => {
  it('counts sockets per node and per address until they leave', () => {
    const registry = new SocketRegistry({
      sockets: 3,
      socketsPerAddress: 2,
      socketsPerUser: 9,
      documentsPerUser: 9,
    })
    expect([registry.enter('a'), registry.enter('a'), registry.enter('a')]).toEqual([null, null, Cap.Address])
    expect([registry.enter('b'), registry.enter('c')]).toEqual([null, Cap.Node])
    registry.leave('a')
    expect(registry.size).toBe(2)
    expect(registry.enter('a')).toBeNull()
  })

  it('caps the sockets and documents of each user, and frees them on revoke and forget', () => {
    const registry = new SocketRegistry({
      sockets: 9,
      socketsPerAddress: 9,
      socketsPerUser: 2,
      documentsPerUser: 3,
    })
    const [s1, s2, s3] = [live(), live(), live()]
    expect(registry.grant(s1, 'd1', grant('ann'))).toBeNull()
    expect(s1.authenticated).toBe(true)
    expect(registry.grant(s2, 'd1', grant('ann'))).toBeNull()
    expect(registry.grant(s3, 'd1', grant('ann'))).toBe(Cap.UserSockets)
    expect(registry.grant(s3, 'd1', grant('bob'))).toBeNull()
    expect(registry.grant(s1, 'd2', grant('ann'))).toBeNull()
    expect(registry.grant(s2, 'd2', grant('ann'))).toBe(Cap.UserDocuments)

    // A grant replaced by a later authentication is not dropped by the old one's disconnect.
    const old = s1.grants.get('d1')!
    expect(registry.grant(s1, 'd1', grant('ann'))).toBeNull()
    registry.revoke(s1, 'd1', old)
    expect(s1.grants.has('d1')).toBe(true)

    registry.forget(s1)
    expect(registry.grant(s3, 'd2', grant('ann'))).toBeNull()
    expect([...registry.socketsWhere((g) => g.userId === 'ann', 'ann').keys()]).toEqual([s2, s3])
    expect([...registry.socketsWhere((g) => g.userId === 'bob').keys()]).toEqual([s3])
  })
  it("holds the workspace mirror's grants apart: no per-user cap counts them and no access change finds them", () => {
    const registry = new SocketRegistry({
      sockets: 9,
      socketsPerAddress: 9,
      socketsPerUser: 1,
      documentsPerUser: 1,
    })
    const mirror = (projectId: string): Grant => ({ ...grant('workspace', projectId), workspace: true })
    const [m1, m2, person] = [live(), live(), live()]
    for (const doc of ['d1', 'd2', 'd3']) expect(registry.grant(m1, doc, mirror('p'))).toBeNull()
    expect(registry.grant(m2, 'd1', mirror('q'))).toBeNull()
    expect(m2.authenticated).toBe(true)
    // The mirror's documents take nothing from a person's caps, on the same socket or another.
    expect(registry.grant(person, 'd1', grant('ann'))).toBeNull()
    expect(registry.grant(m1, 'd4', grant('bob'))).toBeNull()
    expect([...registry.socketsWhere(() => true).entries()]).toEqual([
      [person, [grant('ann')]],
      [m1, [grant('bob')]],
    ])
    registry.revoke(m1, 'd1', m1.grants.get('d1')!)
    registry.forget(m2)
    expect([...m1.grants.keys()]).toEqual(['d2', 'd3', 'd4'])
    expect(m2.grants.size).toBe(0)
  })
})
