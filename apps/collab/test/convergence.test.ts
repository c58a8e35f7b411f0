import { describe, expect, it, vi } from 'vitest'
import { apiClient, seededRandom, type Peer } from '../src/testing/index'
import { newServer, newWorkspace } from './fixtures'

const SEEDS = [1, 42, 20261125]
const STEPS = 300

function randomEdit(peer: Peer, rnd: () => number, id: string) {
  const len = peer.text.length
  if (len > 0 && rnd() < 0.35) {
    const at = Math.floor(rnd() * len)
    peer.text.delete(at, Math.min(len - at, 1 + Math.floor(rnd() * 5)))
  } else {
    peer.text.insert(Math.floor(rnd() * (len + 1)), rnd() < 0.1 ? `\n${id}` : id)
  }
}

describe('three clients editing one document', () => {
  it.each(SEEDS)(
    'converge with random edits, disconnects and reconnects (seed %i), and survive a restart',
    async (seed) => {
      const rnd = seededRandom(seed)
      const server = await newServer()
      const ws = await newWorkspace(server, 'start\n')
      const users = [ws.owner, await ws.member('editor', 'B'), await ws.member('editor', 'C')]
      const peers = users.map((u) => ws.peer(u))
      await Promise.all(peers.map((p) => p.synced()))
      const offline = new Set<number>()
      for (let step = 0; step < STEPS; step++) {
        const i = Math.floor(rnd() * peers.length)
        const peer = peers[i]!
        if (rnd() < 0.04) {
          if (offline.has(i)) {
            offline.delete(i)
            await peer.goOnline()
          } else {
            offline.add(i)
            await peer.goOffline()
          }
        }
        randomEdit(peer, rnd, String.fromCharCode(97 + i))
        // Let the network interleave with the edits some of the time.
        if (rnd() < 0.2) await new Promise((r) => setImmediate(r))
      }
      for (const i of offline) await peers[i]!.goOnline()
      await Promise.all(peers.map((p) => p.acknowledged()))
      await vi.waitFor(
        () => {
          for (const p of peers) expect(p.text.toString()).toBe(peers[0]!.text.toString())
        },
        { timeout: 10_000 },
      )
      const expected = peers[0]!.text.toString()
      expect(await ws.read()).toBe(expected)

      for (const p of peers) p.destroy()
      await server.close()
      const restarted = await newServer({ database: server.database })
      const reread = await apiClient(restarted.url, ws.owner.token).files.read.query({
        projectId: ws.project.id,
        path: ws.file.path,
      })
      expect(reread.content).toBe(expected)
    },
  )
})
