import { describe, expect, it, vi } from 'vitest'
import { MISPLACING_UPDATES, quarantinedRows } from '@mimiverse/db/testing'
import { CloseCode } from '@mimiverse/shared'
import { syncUpdateFrame } from '../src/testing/frames'
import { newServer, newWorkspace } from './fixtures'

/**
 * The updates behind the collab fuzzer's seeds 11, 222 and 969444: an item whose right origin is not right of
 * its origin applies without an error, but lands in one place in the live document (and in the honest clients)
 * and in another once the document is loaded from its stored snapshot. Such an update is refused before it is
 * stored, so the stored document and the honest clients' stay equal.
 */
describe('items placed against their own origins', () => {
  it('refuses each with 4400; nothing of them is stored and the document reads back as people see it', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base\n')
    const eve = await ws.member('editor', 'Eve')
    const honest = ws.peer(ws.owner)
    await honest.synced()
    for (const update of MISPLACING_UPDATES) {
      const attacker = ws.peer(eve)
      await attacker.synced()
      attacker.socket.send(syncUpdateFrame(ws.file.docName, update))
      await vi.waitFor(() => expect(attacker.closeCodes).toEqual([CloseCode.MalformedMessage]))
      attacker.destroy()
    }
    honest.text.insert(0, '// ')
    await honest.acknowledged()

    const stored = (await server.services.store.load(ws.file.docName)).map((u) => Buffer.from(u))
    expect(stored.filter((u) => MISPLACING_UPDATES.some((m) => u.equals(m)))).toEqual([])
    expect(honest.text.toString()).toBe('// base\n')
    expect(await ws.read()).toBe('// base\n')
    expect(await quarantinedRows(server.database.db)).toEqual([])
  })
})
