import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from './client'
import { migrate } from './migrate'
import { appendDocumentUpdates } from './queries/document-log'
import { newTempDir, newTestDatabase } from './testing'
import { startVacuumer } from './vacuum'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** One compaction round's worth of log: `n` rows appended, then deleted. */
async function appendAndDelete(database: Database, n: number): Promise<void> {
  const update = new Uint8Array(200).fill(7)
  for (let i = 0; i < n; i += 500) {
    const names = Array.from({ length: 500 }, (_, j) => `p/${(i + j) % 20}`)
    await appendDocumentUpdates(
      database.db,
      names,
      names.map(() => update),
    )
  }
  await database.db.execute(sql`delete from document_updates`)
}

type LogTable = {
  dead: number
  vacuums: number
  bytes: number
}

async function logTable(database: Database): Promise<LogTable> {
  const r = await database.db.execute<LogTable>(sql`
    select n_dead_tup::int as dead, vacuum_count::int as vacuums, pg_total_relation_size(relid)::int as bytes
    from pg_stat_user_tables where relname = 'document_updates'`)
  return (r as { rows: LogTable[] }).rows[0]!
}

describe('startVacuumer', () => {
  it('vacuums the tables past the autovacuum thresholds, and only those', async () => {
    const database = await newTestDatabase()
    const vacuumer = startVacuumer(database.db, { intervalMs: 60_000 })
    cleanups.push(
      () => database.close(),
      () => vacuumer.close(),
    )
    await appendAndDelete(database, 2000)
    await expect.poll(() => vacuumer.runOnce()).toContain('document_updates')
    expect((await logTable(database)).dead).toBe(0)
    // Vacuumed (and analyzed, its first time); no other table had changed enough: nothing is due now.
    expect(await vacuumer.runOnce()).toEqual([])
  })

  it('keeps the log table from growing round after round (embedded on disk, as the product runs)', async () => {
    const dir = await newTempDir()
    const database = await openDatabase({ dataDir: dir.path, vacuumIntervalMs: 100 })
    cleanups.push(dir.remove, () => database.close())
    await migrate(database)
    const sizes: number[] = []
    for (let round = 0; round < 8; round++) {
      await appendAndDelete(database, 5000)
      // The database's own vacuumer (no other is started here) reclaims the deleted rows: counted from after the
      // delete, since on a slow machine a vacuum also runs between the round's appends and reclaims nothing.
      const deleted = await logTable(database)
      await expect
        .poll(async () => (await logTable(database)).vacuums, { timeout: 20_000 })
        .toBeGreaterThan(deleted.vacuums)
      sizes.push((await logTable(database)).bytes)
    }
    // Space freed by a round is reused by the next: without vacuum each round added its whole size (~1.6 MB).
    expect(sizes.at(-1)).toBeLessThanOrEqual(sizes[2]!)
  })
})
