import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { agentRuns } from '@mimiverse/db/schema'
import { newTestDatabase } from '@mimiverse/db/testing'
import { newProject, newUser } from '../../../test/fixtures'
import { STALE_MS } from './liveness'
import { createRunStore, INTERRUPTED } from './run-store'

describe('run store', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => close?.())

  it('records runs, and fails only those a dead process left running', async () => {
    const database = await newTestDatabase()
    close = () => database.close()
    const user = await newUser(database)
    const { projectId, docs } = await newProject(database, user.id, { 'a.ts': 'a', 'b.ts': 'b' })
    // Two processes' stores on one database.
    const mine = createRunStore(database.db)
    const other = createRunStore(database.db)
    const base = { projectId, path: 'a.ts', requesterId: user.id, range: null }
    const age = (id: string, ms: number) =>
      database.db
        .update(agentRuns)
        .set({ aliveAt: new Date(Date.now() - ms) })
        .where(eq(agentRuns.id, id))
    const live = randomUUID()
    const dead = randomUUID()
    const finished = randomUUID()
    await mine.create({ ...base, docName: docs['a.ts']!, id: live, instruction: 'still working' })
    await mine.create({ ...base, docName: docs['b.ts']!, id: dead, instruction: 'left running' })
    await mine.create({ ...base, docName: docs['a.ts']!, id: finished, instruction: 'done' })
    await mine.finish(finished, { state: 'done', message: 'ok', edits: 1, inserted: 3, deleted: 1 })
    await age(live, STALE_MS - 5000)
    await mine.heartbeat([live])
    await age(dead, STALE_MS + 1000)

    // The other process starts: only the dead process's run is failed.
    expect(await other.failInterrupted()).toBe(1)
    expect(await other.get(live)).toMatchObject({ state: 'running' })
    expect(await other.runningOn(docs['a.ts']!)).toBe(true)
    expect(await other.get(dead)).toMatchObject({
      state: 'failed',
      message: INTERRUPTED,
      requester: { id: user.id, name: 'Ada' },
    })
    expect(await other.runningOn(docs['b.ts']!)).toBe(false)
    expect(await other.get(finished)).toMatchObject({ state: 'done', inserted: 3 })
    // Recorded: a late heartbeat does not revive it.
    await mine.heartbeat([dead])
    expect(await mine.get(dead)).toMatchObject({ state: 'failed' })
    expect((await mine.list(projectId, 10)).map((r) => r.instruction).sort()).toEqual([
      'done',
      'left running',
      'still working',
    ])
  })

  it('reports a run whose process stopped refreshing it as failed on read, before any restart', async () => {
    const database = await newTestDatabase()
    close = () => database.close()
    const user = await newUser(database)
    const { projectId, docs } = await newProject(database, user.id, { 'a.ts': 'a' })
    const store = createRunStore(database.db)
    const id = randomUUID()
    const docName = docs['a.ts']!
    await store.create({
      projectId,
      docName,
      path: 'a.ts',
      requesterId: user.id,
      range: null,
      id,
      instruction: 'x',
    })
    expect(await store.runningOn(docName)).toBe(true)
    await database.db
      .update(agentRuns)
      .set({ aliveAt: new Date(Date.now() - STALE_MS - 1000) })
      .where(eq(agentRuns.id, id))
    expect(await store.runningOn(docName)).toBe(false)
    expect((await store.list(projectId, 10))[0]).toMatchObject({ state: 'failed', message: INTERRUPTED })
    const [row] = await database.db.select().from(agentRuns).where(eq(agentRuns.id, id))
    expect(row?.state).toBe('failed')
  })
})
