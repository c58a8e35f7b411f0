import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { agentTasks } from '@mimiverse/db/schema'
import { newTestDatabase } from '@mimiverse/db/testing'
import { newProject, newUser } from '../../../../test/seed'
import { STALE_MS } from '../liveness'
import { createTaskStore } from './task-store'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function setup() {
  const database = await newTestDatabase()
  cleanups.push(() => database.close())
  const user = await newUser(database, 'Ann')
  const { projectId } = await newProject(database, user.id)
  const store = createTaskStore(database.db)
  const id = crypto.randomUUID()
  await store.create({ id, projectId, requesterId: user.id, instruction: 'x' })
  const age = (ms: number) =>
    database.db
      .update(agentTasks)
      .set({ aliveAt: new Date(Date.now() - ms) })
      .where(eq(agentTasks.id, id))
  return { store, id, projectId, age }
}

describe('task store', () => {
  it('shows a run whose process stopped refreshing it as interrupted, and records that', async () => {
    const { store, id, projectId, age } = await setup()
    expect((await store.get(id))?.state).toBe('running')
    expect(await store.runningIn(projectId)).toBe(true)
    await age(STALE_MS + 1000)
    expect(await store.runningIn(projectId)).toBe(false)
    const [listed] = await store.list(projectId, 10)
    expect(listed).toMatchObject({ state: 'interrupted', message: expect.stringMatching(/interrupted/) })
    // Recorded: a heartbeat from a late process no longer revives it.
    await store.heartbeat([id])
    expect((await store.get(id))?.state).toBe('interrupted')
  })

  it('keeps a run that its process refreshes running', async () => {
    const { store, id, age } = await setup()
    await age(STALE_MS - 5000)
    await store.heartbeat([id])
    await age(0)
    expect((await store.get(id))?.state).toBe('running')
  })
})
