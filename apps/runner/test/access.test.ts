import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { memberships } from '@mimiverse/db/schema'
import { CloseCode } from '@mimiverse/shared'
import { connectTerminals, newProject, newRunnerWorld, WAIT } from './fixtures'

describe('terminal access over time', () => {
  it('closes a removed member’s socket at once, and asks one whose role changed to reconnect', async () => {
    const { server, accessChanges } = await newRunnerWorld()
    const { owner, projectId, member } = await newProject(server)
    const [bob, carol] = [await member('editor', 'Bob'), await member('editor', 'Carol')]
    const bobs = await connectTerminals(server, bob, projectId)
    const carols = await connectTerminals(server, carol, projectId)
    const owners = await connectTerminals(server, owner, projectId)
    await Promise.all([bobs.next('hello'), carols.next('hello'), owners.next('hello')])
    const row = (userId: string) => and(eq(memberships.projectId, projectId), eq(memberships.userId, userId))

    await server.database.db.delete(memberships).where(row(bob.id))
    await accessChanges.publish({ kind: 'membership', userId: bob.id, projectId })
    expect((await bobs.closed).code).toBe(CloseCode.Forbidden)

    await server.database.db.update(memberships).set({ role: 'reviewer' }).where(row(carol.id))
    await accessChanges.publish({ kind: 'membership', userId: carol.id, projectId })
    expect((await carols.closed).code).toBe(CloseCode.AccessChanged)
    const again = await connectTerminals(server, carol, projectId)
    expect((await again.next('hello')).canWrite).toBe(false)
    // Nobody else was disconnected.
    owners.send({ type: 'open', cols: 80, rows: 24 })
    await owners.next('list', (m) => m.terminals.length === 1)
  })

  it('kills a project’s terminals once nobody is connected to it for RUNNER_IDLE_MINUTES', async () => {
    const { server, runner } = await newRunnerWorld({ RUNNER_IDLE_MINUTES: '0' })
    const { owner, projectId } = await newProject(server)
    const ann = await connectTerminals(server, owner, projectId)
    const id = await ann.open()
    await expect.poll(() => ann.shown(id), WAIT).toMatch(/\$ $/)
    expect(runner.terminals.manager.list(projectId)).toHaveLength(1)
    ann.close()
    await expect.poll(() => runner.terminals.manager.list(projectId), WAIT).toEqual([])
  })
})
