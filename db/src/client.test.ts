import { afterEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { openDatabase, type Database } from './client'
import { migrate, migrationStatus } from './migrate'
import { documentSnapshots, users } from './schema/index'
import { newPgliteServer, newTempDir } from './testing'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function exercise(database: Database) {
  await migrate(database)
  await migrate(database) // idempotent at every start-up
  const status = await migrationStatus(database)
  expect(status.expected).toBeGreaterThanOrEqual(1)
  expect(status).toEqual({ expected: status.expected, applied: status.expected })
  const [user] = await database.db
    .insert(users)
    .values({ email: 'a@example.com', name: 'A', passwordHash: 'x' })
    .returning()
  expect(user?.id).toMatch(/^[0-9a-f-]{36}$/)
  const state = new Uint8Array([0, 1, 2, 255])
  await database.db.insert(documentSnapshots).values({ docName: 'd', state })
  const [row] = await database.db.select().from(documentSnapshots).where(eq(documentSnapshots.docName, 'd'))
  expect(Array.from(row!.state)).toEqual([0, 1, 2, 255])
  const distance = await database.db.execute<{ d: number }>(
    sql`select '[1,0]'::vector <=> '[0,1]'::vector as d`,
  )
  expect(Number((distance as { rows: { d: number }[] }).rows[0]?.d)).toBeCloseTo(1)
  await database.ping()
}

describe('openDatabase', () => {
  it('runs the migrations on embedded PGlite with pgvector, persisted in a data folder', async () => {
    const dir = await newTempDir()
    cleanups.push(dir.remove)
    const database = await openDatabase({ dataDir: dir.path })
    await exercise(database)
    await database.close()
    const reopened = await openDatabase({ dataDir: dir.path })
    cleanups.push(() => reopened.close())
    expect(await reopened.db.select().from(users)).toHaveLength(1)
  })

  it('answers every caller of the embedded database its own result under concurrency', async () => {
    const dir = await newTempDir()
    cleanups.push(dir.remove)
    const database = await openDatabase({ dataDir: dir.path })
    cleanups.push(() => database.close())
    expect(database.kind).toBe('pglite')
    await migrate(database)
    // Parameterised queries and transactions from many callers at once each get their own answer.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        if (i % 4 === 0) {
          return database.db.transaction(async (tx) => {
            await tx.insert(users).values({ email: `u${i}@example.com`, name: `U${i}`, passwordHash: 'x' })
            const [u] = await tx
              .select()
              .from(users)
              .where(eq(users.email, `u${i}@example.com`))
            return Number(u?.name.slice(1))
          })
        }
        const result = (await database.db.execute<{ n: number }>(sql`select ${i}::int as n`)) as {
          rows: { n: number }[]
        }
        return result.rows[0]?.n
      }),
    )
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => i))
  })

  it('runs the same migrations through the pg driver over the wire protocol', async () => {
    const server = await newPgliteServer()
    cleanups.push(server.close)
    const database = await openDatabase({ url: server.url, poolSize: 2 })
    cleanups.push(() => database.close())
    expect(database.kind).toBe('postgres')
    // Several processes start together: their migrations take turns instead of colliding.
    const other = await openDatabase({ url: server.url, poolSize: 2 })
    cleanups.push(() => other.close())
    await Promise.all([migrate(database), migrate(other)])
    await exercise(database)
  })
})
