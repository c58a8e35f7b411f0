import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { newPgliteServer, newPostgresDatabase, testDatabaseUrl } from '@mimiverse/db/testing'
import { CloseCode, CONTENT_FIELD } from '@mimiverse/shared'
import { apiClient, connectPeer, signUp, spawnServer, type Peer } from '../src/testing/index'
import { onCleanup } from './fixtures'

const REDIS_URL = 'redis://127.0.0.1:6379'

/**
 * Two collab processes sharing one PostgreSQL and the machine's Redis: a fresh database on the real server when
 * `TEST_DATABASE_URL` is set (CI), else PGlite over the wire protocol. Both migrate it at once as they start.
 */
async function twoNodes() {
  const pg = testDatabaseUrl ? await newPostgresDatabase() : await newPgliteServer({ maxConnections: 40 })
  onCleanup(pg.close)
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL,
    // A fresh prefix: runs never see each other's channels or keys.
    REDIS_PREFIX: `test-${randomUUID()}`,
    SECRET: 'scale-out-secret-0123456789abcdef0123456789',
  }
  const nodes = await Promise.all([spawnServer(env), spawnServer(env)])
  for (const node of nodes) onCleanup(() => node.child.kill('SIGKILL'))
  return nodes
}

function peerOn(url: string, docName: string, token: string, doc?: Y.Doc): Peer {
  const peer = connectPeer({ baseUrl: url, docName, token, doc })
  onCleanup(() => peer.destroy())
  return peer
}

describe('several collab nodes over Redis', () => {
  it('converge live across nodes, and lose nothing acknowledged when one node is killed', async () => {
    const [a, b] = await twoNodes()
    const owner = await signUp(a.url, 'Owner')
    const project = await owner.api.projects.create.mutate({ name: 'cluster' })
    // Created through node B: both nodes serve the same database.
    const viaB = apiClient(b.url, owner.token)
    const file = await viaB.files.create.mutate({
      projectId: project.id,
      path: 'shared.ts',
      content: 'start\n',
    })
    const token = (await viaB.collab.token.mutate({ projectId: project.id })).token

    const onA = peerOn(a.url, file.docName, token)
    const onB = peerOn(b.url, file.docName, token)
    await Promise.all([onA.synced(), onB.synced()])
    onA.text.insert(onA.text.length, 'typed on A\n')
    onB.text.insert(0, '// typed on B\n')
    await vi.waitFor(() => {
      expect(onA.text.toString()).toBe('// typed on B\nstart\ntyped on A\n')
      expect(onB.text.toString()).toBe(onA.text.toString())
    })

    // More edits on A, acknowledged (so logged by A), then A dies without any warning.
    for (let i = 0; i < 50; i++) onA.text.insert(onA.text.length, String(i % 10))
    await onA.acknowledged()
    a.child.kill('SIGKILL')
    await a.exited
    onA.destroy()
    // Before A's client comes back, the database already holds everything A acknowledged.
    const stored = await viaB.files.read.query({ projectId: project.id, path: 'shared.ts' })
    expect(stored.content).toContain('0123456789'.repeat(5))

    // Its client reconnects to B with its document; everything converges there and is stored.
    const moved = peerOn(b.url, file.docName, token, onA.doc)
    await moved.acknowledged()
    const expected = new Y.Doc()
    for (const p of [onA, onB]) Y.applyUpdate(expected, Y.encodeStateAsUpdate(p.doc))
    const expectedText = expected.getText(CONTENT_FIELD).toString()
    await vi.waitFor(() => expect(onB.text.toString()).toBe(expectedText))
    expect((await viaB.files.read.query({ projectId: project.id, path: 'shared.ts' })).content).toBe(
      expectedText,
    )
    expect(expectedText).toContain('0123456789'.repeat(5))
  })
  it('end collaboration on every node when access changes on one', async () => {
    const [a, b] = await twoNodes()
    const owner = await signUp(a.url, 'Owner')
    const bob = await signUp(a.url, 'Bob')
    const project = await owner.api.projects.create.mutate({ name: 'cluster' })
    const file = await owner.api.files.create.mutate({ projectId: project.id, path: 'f.ts', content: 'x' })
    const invite = (role: 'editor' | 'reviewer') =>
      owner.api.projects.invite.mutate({ projectId: project.id, role })
    await bob.api.projects.join.mutate({ code: (await invite('reviewer')).code })

    // Bob works on node B; his access changes through node A's API.
    const bobOnB = apiClient(b.url, bob.token)
    const onB = connectPeer({
      baseUrl: b.url,
      docName: file.docName,
      token: async () => (await bobOnB.collab.token.mutate({ projectId: project.id })).token,
    })
    onCleanup(() => onB.destroy())
    await onB.synced()
    expect(onB.provider.authorizedScope).toBe('readonly')

    await bob.api.projects.join.mutate({ code: (await invite('editor')).code })
    await vi.waitFor(() => expect(onB.closeCodes).toEqual([CloseCode.AccessChanged]))
    await vi.waitFor(() => expect(onB.provider.authorizedScope).toBe('read-write'))
    onB.text.insert(1, ' by Bob')
    await onB.acknowledged()

    const { token } = await bobOnB.collab.token.mutate({ projectId: project.id })
    await bob.api.auth.signOut.mutate()
    await vi.waitFor(() => expect(onB.closeCodes).toContain(CloseCode.Unauthorized))
    const stale = peerOn(b.url, file.docName, token)
    await vi.waitFor(() => expect(stale.refusals).toEqual(['the session of this collab token has ended']))
    expect((await owner.api.files.read.query({ projectId: project.id, path: 'f.ts' })).content).toBe(
      'x by Bob',
    )
  })

  it("keeps presence its sender's across nodes: a person's client may move to another node, nobody else may take it", async () => {
    const [a, b] = await twoNodes()
    const owner = await signUp(a.url, 'Owner')
    const rita = await signUp(a.url, 'Rita')
    const project = await owner.api.projects.create.mutate({ name: 'cluster' })
    const { code } = await owner.api.projects.invite.mutate({ projectId: project.id, role: 'reviewer' })
    await rita.api.projects.join.mutate({ code })
    const { docName } = await owner.api.files.create.mutate({ projectId: project.id, path: 'p.ts' })
    const join = (url: string, user: typeof owner, doc?: Y.Doc) => {
      const peer = connectPeer({
        baseUrl: url,
        docName,
        doc,
        user: { id: user.id, name: user.name },
        token: async () => (await user.api.collab.token.mutate({ projectId: project.id })).token,
      })
      onCleanup(() => peer.destroy())
      return peer
    }
    const annOnA = join(a.url, owner)
    const watcherOnB = join(b.url, rita)
    await Promise.all([annOnA.synced(), watcherOnB.synced()])
    const annId = annOnA.provider.awareness!.clientID
    annOnA.provider.setAwarenessField('cursor', { line: 1 })
    const seen = () => watcherOnB.provider.awareness!.getStates().get(annId)
    await vi.waitFor(() => expect(seen()?.cursor).toEqual({ line: 1 }))
    // On B, Ann's state came over Redis: no socket there holds it, and what it names decides.
    const withAnnsId = () => Object.assign(new Y.Doc(), { clientID: annId })
    const moveUntilNewer = (peer: Peer, last: number) => {
      for (let line = 10; line <= last; line++) peer.provider.setAwarenessField('cursor', { line })
    }
    const last = 10 + (annOnA.provider.awareness!.meta.get(annId)?.clock ?? 0)

    const thief = join(b.url, rita, withAnnsId())
    await thief.synced()
    moveUntilNewer(thief, last)
    await vi.waitFor(() => expect(thief.closeCodes).toContain(CloseCode.InvalidPresence))

    const annOnB = join(b.url, owner, withAnnsId())
    await annOnB.synced()
    moveUntilNewer(annOnB, last)
    await vi.waitFor(() => expect(seen()?.cursor).toEqual({ line: last }))
    expect(annOnB.closeCodes).toEqual([])
  })
})
