import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { newTestDatabase } from '@mimiverse/db/testing'
import { newProject, newUser } from '../../../test/fixtures'
import { createRunStore } from './run-store'

describe('run store', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => close?.())

  it('records runs and marks those a dead process left running as interrupted', async () => {
    const database = await newTestDatabase()
    close = () => database.close()
    const user = await newUser(database)
    const { projectId, docs } = await newProject(database, user.id, { 'a.ts': 'a' })
    const store = createRunStore(database.db)
    const base = { projectId, docName: docs['a.ts']!, path: 'a.ts', requesterId: user.id, range: null }
    const live = randomUUID()
    const finished = randomUUID()
    await store.create({ ...base, id: live, instruction: 'left running' })
    await store.create({ ...base, id: finished, instruction: 'done' })
    await store.finish(finished, { state: 'done', message: 'ok', edits: 1, inserted: 3, deleted: 1 })
    expect(await store.runningOn(base.docName)).toBe(true)

    expect(await store.failInterrupted()).toBe(1)
    expect(await store.get(live)).toMatchObject({
      state: 'failed',
      message: 'interrupted by a restart of the AI service',
      requester: { id: user.id, name: 'Ada' },
    })
    expect(await store.get(finished)).toMatchObject({ state: 'done', inserted: 3 })
    expect(await store.runningOn(base.docName)).toBe(false)
    expect((await store.list(projectId, 10)).map((r) => r.instruction).sort()).toEqual([
      'done',
      'left running',
    ])
  })
})
