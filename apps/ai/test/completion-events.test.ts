import { sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { newTestDatabase } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { createCompletionEvents, type CompletionEvent } from '../src/services/completion-events'
import { newProject, newUser, onCleanup, WAIT } from './fixtures'

describe('completion events', () => {
  it('are written in batches: at maxBatch events, on flush, and before stats are read', async () => {
    const database = await newTestDatabase()
    onCleanup(() => database.close())
    const user = await newUser(database)
    const { projectId, docs } = await newProject(database, user.id, { 'a.ts': '' })
    // A flush interval longer than the test: only the batch size, `flush` and `stats` write.
    const events = createCompletionEvents({
      db: database.db,
      log: createLogger('silent'),
      flushMs: 600_000,
      maxBatch: 3,
    })
    const rows = async () => {
      const r = await database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from completion_events`,
      )
      return (r as { rows: { n: number }[] }).rows[0]!.n
    }
    const event = (kind: CompletionEvent['kind']): CompletionEvent => ({
      projectId,
      userId: user.id,
      docName: docs['a.ts']!,
      kind,
      latencyMs: 120,
      model: 'm',
    })
    events.record([event('shown'), event('shown')])
    expect(await rows()).toBe(0)
    events.record([event('accepted')])
    await vi.waitFor(async () => expect(await rows()).toBe(3), WAIT)
    events.record([event('dismissed')])
    expect(await events.stats(projectId)).toMatchObject({ shown: 2, accepted: 1, dismissed: 1 })
    events.record([event('shown')])
    await events.flush()
    expect(await rows()).toBe(5)
  })
})
