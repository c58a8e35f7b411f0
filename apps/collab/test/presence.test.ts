import { describe, expect, it, vi } from 'vitest'
import { newServer, newWorkspace } from './fixtures'

describe('presence (awareness) through the server', () => {
  it('coalesces a burst of cursor moves, still delivers the last position, and tells when a peer drops', async () => {
    const server = await newServer({ env: { COLLAB_AWARENESS_INTERVAL_MS: '100' } })
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const ann = ws.peer(ws.owner)
    const watcher = ws.peer(bob)
    await Promise.all([ann.synced(), watcher.synced()])
    const annId = ann.provider.awareness!.clientID
    const seen = watcher.provider.awareness!
    await vi.waitFor(() => expect(seen.getStates().has(annId)).toBe(true))

    let broadcastsAboutAnn = 0
    seen.on('update', (change: { added: number[]; updated: number[]; removed: number[] }) => {
      if ([...change.added, ...change.updated, ...change.removed].includes(annId)) broadcastsAboutAnn += 1
    })
    // 50 cursor moves in one go: 50 awareness messages reach the server together.
    for (let i = 1; i <= 50; i++) ann.provider.setAwarenessField('cursor', { line: i })
    await vi.waitFor(() => expect(seen.getStates().get(annId)?.cursor).toEqual({ line: 50 }))
    // Unthrottled, every move is its own broadcast (50); coalesced, a leading one and a few gathered ones.
    expect(broadcastsAboutAnn).toBeLessThan(25)

    // The socket drops without a goodbye: the server removes Ann's state and the removal is broadcast too.
    await ann.goOffline()
    await vi.waitFor(() => expect(seen.getStates().has(annId)).toBe(false))
  })
})
