import { describe, expect, it, vi } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { memberships } from '@mimiverse/db/schema'
import { CloseCode, type Role } from '@mimiverse/shared'
import { connectPeer, type Peer, type TestServer } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

/**
 * There is no API to remove a member or lower a role yet: these tests write the membership table and announce the
 * change, in that order, as such an API must (see `services/projects.ts`, `join`).
 */
async function changeMembership(server: TestServer, userId: string, projectId: string, role: Role | null) {
  const row = and(eq(memberships.userId, userId), eq(memberships.projectId, projectId))
  const { db } = server.database
  if (role) await db.update(memberships).set({ role }).where(row)
  else await db.delete(memberships).where(row)
  await server.accessChanges.publish({ kind: 'membership', userId, projectId })
}

/** Once `writer`'s awareness marker reaches `observer`, the server has handled every frame `writer` sent before. */
async function handledBy(writer: Peer, observer: Peer, marker: number) {
  writer.provider.setAwarenessField('cursor', { marker })
  await vi.waitFor(() => {
    const states = [...observer.provider.awareness!.getStates().values()]
    expect(states.some((s) => (s.cursor as { marker?: number } | undefined)?.marker === marker)).toBe(true)
  })
}

describe('access changes end live collaboration at once', () => {
  it('sign-out closes the session’s sockets with 4401, and its tokens no longer connect', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base')
    const bob = await ws.member('editor', 'Bob')
    const owner = ws.peer(ws.owner)
    const { token } = await bob.api.collab.token.mutate({ projectId: ws.project.id })
    const open = connectPeer({ baseUrl: server.url, docName: ws.file.docName, token })
    onCleanup(() => open.destroy())
    await Promise.all([owner.synced(), open.synced()])

    await bob.api.auth.signOut.mutate()
    await vi.waitFor(() => expect(open.closeCodes).toEqual([CloseCode.Unauthorized]))

    // The same token, minted before the sign-out and not expired, is refused.
    const again = connectPeer({ baseUrl: server.url, docName: ws.file.docName, token })
    onCleanup(() => again.destroy())
    await vi.waitFor(() => expect(again.closeCodes).toContain(CloseCode.Unauthorized))
    expect(again.refusals[0]).toBe('the session of this collab token has ended')
    // Nobody else was touched.
    owner.text.insert(4, '!')
    await owner.acknowledged()
    expect(await ws.read()).toBe('base!')
    expect(owner.closeCodes).toEqual([])
  })

  it('removing a member closes their sockets with 4403', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const bob = await ws.member('editor', 'Bob')
    const [owner, removed] = [ws.peer(ws.owner), ws.peer(bob)]
    await Promise.all([owner.synced(), removed.synced()])

    await changeMembership(server, bob.id, ws.project.id, null)
    await vi.waitFor(() => expect(removed.closeCodes).toEqual([CloseCode.Forbidden]))
    expect(owner.closeCodes).toEqual([])
  })

  it('lowering editor to reviewer closes with 4409; the reconnect is read-only', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base')
    const bob = await ws.member('editor', 'Bob')
    const [owner, lowered] = [ws.peer(ws.owner), ws.peer(bob)]
    await Promise.all([owner.synced(), lowered.synced()])
    expect(lowered.provider.authorizedScope).toBe('read-write')

    await changeMembership(server, bob.id, ws.project.id, 'reviewer')
    await vi.waitFor(() => expect(lowered.closeCodes).toEqual([CloseCode.AccessChanged]))
    // connectPeer reconnects with a fresh token, as the web app does on 4409.
    await vi.waitFor(() => expect(lowered.provider.authorizedScope).toBe('readonly'))
    await lowered.synced()

    lowered.text.insert(0, 'NOT ALLOWED ')
    await handledBy(lowered, owner, 1)
    expect(owner.text.toString()).toBe('base')
    expect(await ws.read()).toBe('base')
  })
  it('leaves the workspace mirror open: it has no session or membership to lose', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base')
    const mirror = ws.mirror()
    await mirror.synced()
    const bob = await ws.member('editor', 'Bob')
    const lowered = ws.peer(bob)
    await lowered.synced()

    // A role changed by hand, then a node-wide re-check (as after Redis was away) reads every grant again.
    const row = and(eq(memberships.userId, bob.id), eq(memberships.projectId, ws.project.id))
    await server.database.db.update(memberships).set({ role: 'reviewer' }).where(row)
    await server.accessChanges.publish({ kind: 'reset' })
    await vi.waitFor(() => expect(lowered.closeCodes).toContain(CloseCode.AccessChanged))

    expect(mirror.closeCodes).toEqual([])
    mirror.text.insert(4, '!')
    await mirror.acknowledged()
    expect(await ws.read()).toBe('base!')
  })
})
