import { describe, expect, it, vi } from 'vitest'
import { newServer, newWorkspace } from './fixtures'

/** Ann (the owner) and Bob watching, both synced, once Bob's provider knows Ann's presence. */
async function annAndWatcher(intervalMs: string) {
  const server = await newServer({ env: { COLLAB_AWARENESS_INTERVAL_MS: intervalMs } })
  const ws = await newWorkspace(server, 'hello')
  const bob = await ws.member('editor', 'Bob')
  const ann = ws.peer(ws.owner)
  const watcher = ws.peer(bob)
  await Promise.all([ann.synced(), watcher.synced()])
  const annId = ann.provider.awareness!.clientID
  await vi.waitFor(() => expect(watcher.provider.awareness!.getStates().has(annId)).toBe(true))
  return { ann, watcher, annId }
}

describe('presence (awareness) through the server', () => {
  it('coalesces a burst of cursor moves, still delivers the last position, and tells when a peer drops', async () => {
    const { ann, watcher, annId } = await annAndWatcher('100')
    const seen = watcher.provider.awareness!

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

  it("sends only each client's own presence: a peer's cursor moves are not echoed back to the server", async () => {
    const { ann, watcher, annId } = await annAndWatcher('0')
    const watcherId = watcher.provider.awareness!.clientID

    // Every awareness message the watcher's provider sends, by the clients it speaks for.
    const sent: number[][] = []
    const send = watcher.provider.send.bind(watcher.provider)
    vi.spyOn(watcher.provider, 'send').mockImplementation((type, args: { clients?: number[] }) => {
      if (args.clients) sent.push(args.clients)
      send(type, args)
    })
    for (let i = 1; i <= 5; i++) ann.provider.setAwarenessField('cursor', { line: i })
    await vi.waitFor(() =>
      expect(watcher.provider.awareness!.getStates().get(annId)?.cursor).toEqual({ line: 5 }),
    )
    watcher.provider.setAwarenessField('cursor', { line: 9 })
    await vi.waitFor(() =>
      expect(ann.provider.awareness!.getStates().get(watcherId)?.cursor).toEqual({ line: 9 }),
    )
    // The stock provider would have sent Ann's state back once per move it received.
    expect(sent).toEqual([[watcherId]])
  })
})
