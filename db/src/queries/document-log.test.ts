import { count } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../client'
import { migrate } from '../migrate'
import { documentUpdates } from '../schema/documents'
import { newPgliteServer, newTestDatabase } from '../testing'
import { appendDocumentUpdates } from './document-log'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const bytes = (n: number) => new Uint8Array([n, n + 1, n + 2])

async function rows(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(documentUpdates)
  return row?.n ?? 0
}

describe('appendDocumentUpdates', () => {
  it('writes a batch in one statement and tells each row its document (in-process PGlite)', async () => {
    const database = await newTestDatabase()
    cleanups.push(() => database.close())
    const appended = await appendDocumentUpdates(database.db, ['a', 'b', 'a'], [bytes(1), bytes(2), bytes(3)])
    expect(appended.map((r) => r.docName).sort()).toEqual(['a', 'a', 'b'])
    expect(new Set(appended.map((r) => r.seq)).size).toBe(3)
    expect(await rows(database)).toBe(3)
  })

  it('prepares its statement per connection, also when several connections share one session', async () => {
    // PGlite behind a socket server is one session for every connection: one fixed statement name would be
    // prepared twice there and fail.
    const server = await newPgliteServer()
    cleanups.push(() => server.close())
    const first = await openDatabase({ url: server.url, poolSize: 1 })
    await migrate(first)
    const second = await openDatabase({ url: server.url, poolSize: 1 })
    for (let i = 0; i < 3; i++) {
      await appendDocumentUpdates(first.db, ['a'], [bytes(i)])
      await appendDocumentUpdates(second.db, ['b', 'b'], [bytes(i), bytes(i + 10)])
    }
    // A replaced connection (the pool dropped the old one) prepares it again under a new name.
    await first.close()
    const third = await openDatabase({ url: server.url, poolSize: 1 })
    cleanups.push(
      () => second.close(),
      () => third.close(),
    )
    expect((await appendDocumentUpdates(third.db, ['c'], [bytes(7)])).map((r) => r.docName)).toEqual(['c'])
    expect(await rows(third)).toBe(10)
  })
})
