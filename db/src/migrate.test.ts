import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from './client'
import { migrate, migrationStatus, vectorStatus } from './migrate'
import { newTestDatabase } from './testing'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await database.db.execute(query)
  return (result as { rows: T[] }).rows
}

/** Which of the vector parts of the schema the database has. */
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

describe('migrate', () => {
  it('migrates everything but the vector parts where pgvector is missing, and says what to install', async () => {
    // The test driver's database: PGlite with pgvector, or the CI server, which has none.
    const database = await newTestDatabase()
    cleanups.push(() => database.close())
    const [{ available }] = (await rows<{ available: boolean }>(
      database,
      sql`select exists (select 1 from pg_available_extensions where name = 'vector') as available`,
    )) as [{ available: boolean }]
    const status = await migrate(database) // again: idempotent
    const migrations = await migrationStatus(database)
    expect(migrations.applied).toBe(migrations.expected)
    if (available) {
      expect(status).toEqual({ ready: true })
      expect(await vectorParts(database)).toEqual({ extension: true, column: true, hnsw: true, cache: true })
    } else {
      expect(status).toEqual({
        ready: false,
        reason: expect.stringMatching(/^vector search needs pgvector: install/),
      })
      expect(await vectorParts(database)).toEqual({
        extension: false,
        column: false,
        hnsw: false,
        cache: false,
      })
    }
    expect(await vectorStatus(database.db)).toEqual(status)
    // Search's text index is there either way.
    const tables = await rows<{ name: string }>(
      database,
      sql`select table_name as name from information_schema.tables
        where table_name in ('search_chunks', 'search_queue', 'search_files', 'agent_runs', 'completion_events')
        order by 1`,
    )
    expect(tables.map((t) => t.name)).toEqual([
      'agent_runs',
      'completion_events',
      'search_chunks',
      'search_files',
      'search_queue',
    ])
  })
})
