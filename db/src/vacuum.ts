import { sql } from 'drizzle-orm'
import type { Db } from './client'

/**
 * Autovacuum for the embedded database. PGlite runs PostgreSQL as one single-user backend, and a single-user
 * backend starts no autovacuum launcher (the `autovacuum` setting reads `on` all the same). Without it, the
 * rows compaction deletes from `document_updates` (and search re-indexing from its tables) stay as dead tuples:
 * measured, the log table grew by its whole size on every compaction round, and scans and compactions slowed
 * with it. This does the launcher's job with its default thresholds, from the same statistics views.
 */
export interface Vacuumer {
  /** Vacuums or analyzes every table past a threshold now; resolves to those tables. */
  runOnce(): Promise<string[]>
  /** Stops the timer and waits for a run in progress. */
  close(): Promise<void>
}

export interface VacuumerOptions {
  /**
   * Between checks, in ms. Default 30 s. Checked every 2 s, each VACUUM was shorter (3-25 ms), but INSERTs cost
   * a third more and compactions half again (over two minutes at 500 users), presumably because new rows went
   * into the few slots freed all over the table; every 30 s the log costs what it does with no vacuum at all
   * (34-51 ms per VACUUM).
   */
  intervalMs?: number
  /** A failed run (it is tried again at the next interval). */
  onError?: (error: Error) => void
}

/**
 * PostgreSQL's default thresholds (`autovacuum_vacuum_threshold` + `autovacuum_vacuum_scale_factor` * live rows,
 * and the insert and analyze ones). ANALYZE samples 30,000 rows wherever they are, which cost the database
 * thread as much as the VACUUM itself under load: statistics are refreshed at most every ten minutes.
 */
const DUE = {
  vacuum: sql`n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup`,
  analyze: sql`n_mod_since_analyze > 50 + 0.1 * n_live_tup
    and coalesce(last_analyze, 'epoch') < now() - interval '10 minutes'`,
}

type DueTable = {
  schema: string
  name: string
  vacuum: boolean
  analyze: boolean
}

export function startVacuumer(db: Db, options: VacuumerOptions = {}): Vacuumer {
  let running: Promise<string[]> | undefined
  const runOnce = () => (running ??= vacuumDue(db).finally(() => (running = undefined)))
  const timer = setInterval(() => {
    runOnce().catch((e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e))))
  }, options.intervalMs ?? 30_000)
  // Maintenance never keeps a process alive.
  timer.unref()
  return {
    runOnce,
    close: async () => {
      clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}

async function vacuumDue(db: Db): Promise<string[]> {
  const due = await db.execute<DueTable>(sql`
    select schemaname as schema, relname as name, (${DUE.vacuum}) as vacuum, (${DUE.analyze}) as analyze
    from pg_stat_user_tables where (${DUE.vacuum}) or (${DUE.analyze}) order by relname`)
  const tables = (due as { rows: DueTable[] }).rows
  // One table per statement: each holds the connection only as long as its own table takes.
  for (const t of tables) {
    const table = sql`${sql.identifier(t.schema)}.${sql.identifier(t.name)}`
    if (!t.vacuum) await db.execute(sql`analyze ${table}`)
    else await db.execute(t.analyze ? sql`vacuum (analyze) ${table}` : sql`vacuum ${table}`)
  }
  return tables.map((t) => t.name)
}
