import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { fromPglite, openDatabase, type Database } from './client'
import { migrate, migrationStatus, vectorStatus } from './migrate'
import { newTempDir, testServers } from './testing'

// PGlite-only and per-server suites: db's vitest config does not run this file again on the test driver.

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await database.db.execute(query)
  return (result as { rows: T[] }).rows
}

async function vectorParts(database: Database) {
  const [row] = await rows<Record<string, boolean>>(
    database,
    sql`select exists (select 1 from pg_extension where extname = 'vector') as extension,
      exists (select 1 from information_schema.columns
        where table_name = 'search_chunks' and column_name = 'embedding') as column,
      to_regclass('public.search_chunks_embedding_768_idx') is not null as hnsw,
      to_regclass('public.search_embeddings') is not null as cache`,
  )
  return row
}

describe('migrate, pgvector installed later', () => {
  it('adds the vector parts at the first start after pgvector becomes available, keeping the data', async () => {
    const dir = await newTempDir()
    cleanups.push(dir.remove)
    const without = fromPglite(await PGlite.create({ dataDir: dir.path }), true)
    expect(await migrate(without)).toMatchObject({ ready: false })
    expect(await vectorParts(without)).toEqual({ extension: false, column: false, hnsw: false, cache: false })
    await without.db.execute(
      sql`insert into users (email, name, password_hash) values ('a@example.com', 'A', 'x')`,
    )
    await without.close()

    const withVector = fromPglite(await PGlite.create({ dataDir: dir.path, extensions: { vector } }), true)
    cleanups.push(() => withVector.close())
    expect(await vectorStatus(withVector.db)).toMatchObject({ ready: false })
    expect(await migrate(withVector)).toEqual({ ready: true })
    expect(await vectorParts(withVector)).toEqual({ extension: true, column: true, hnsw: true, cache: true })
    expect(await vectorStatus(withVector.db)).toEqual({ ready: true })
    expect(await rows(withVector, sql`select email from users`)).toEqual([{ email: 'a@example.com' }])
  })
})

describe.each(testServers())('concurrent migrations (%s)', (_name, newServer) => {
  it('take turns: several processes starting together migrate once', async () => {
    const server = await newServer()
    cleanups.push(server.close)
    const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ url: server.url, poolSize: 2 })))
    for (const node of nodes) cleanups.push(() => node.close())
    const statuses = await Promise.all(nodes.map((node) => migrate(node)))
    expect(new Set(statuses.map((s) => s.ready)).size).toBe(1)
    const migrations = await migrationStatus(nodes[0]!)
    expect(migrations.applied).toBe(migrations.expected)
  })
})
