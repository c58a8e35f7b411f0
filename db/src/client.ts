import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { startEmbeddedPostgres } from './embedded'
import { startVacuumer } from './vacuum'
import * as schema from './schema/index'

/** The drizzle database both drivers are used through; the rest of the code never sees which one it is. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  readonly db: Db
  /** `pglite` for the embedded default, `postgres` for a server reached with `DATABASE_URL`. */
  readonly kind: 'pglite' | 'postgres'
  /** Round-trips a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>
  /** Embedded database on disk only: bytes of JavaScript heap in use on its thread (see `embedded.ts`). */
  heapUsed?: () => Promise<number>
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** A `postgres://` URL. When set, the `pg` driver is used and `dataDir` is ignored. */
  url?: string
  /** Folder for the embedded PGlite database; omit for an in-memory database (tests). */
  dataDir?: string
  /** Largest number of pooled `pg` connections. Default 10. */
  poolSize?: number
  /** Embedded database on disk only: called if its thread dies while open (default: the process fails). */
  onLost?: (error: Error) => void
  /** Embedded database on disk only: a failed vacuum (see `vacuum.ts`; it is retried). */
  onVacuumError?: (error: Error) => void
  /** Embedded database on disk only: between vacuum checks, in ms (default 30 s). */
  vacuumIntervalMs?: number
}

/**
 * Opens a PostgreSQL server (`url`), the embedded PGlite database on disk (`dataDir`) or an in-memory PGlite
 * (neither: tests). On disk, PGlite runs on a worker thread and is reached over the wire protocol with the
 * `pg` driver (`embedded.ts`), so queries never stop the caller's event loop; it has no autovacuum of its own,
 * so `vacuum.ts` does that job.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres({ connectionString: options.url }, options.poolSize ?? 10)
  if (options.dataDir) {
    const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, onLost: options.onLost })
    // One connection: PGlite is one session, so a second one would only queue behind the first in the
    // database thread. Queries queue in `pg` instead, in order, as they queued inside PGlite before.
    const database = openPostgres(embedded.connection, 1)
    const vacuumer = startVacuumer(database.db, {
      intervalMs: options.vacuumIntervalMs,
      onError: options.onVacuumError,
    })
    let closed: Promise<void> | undefined
    const close = async () => {
      await vacuumer.close()
      await database.close()
      await embedded.close()
    }
    return {
      ...database,
      kind: 'pglite',
      heapUsed: () => embedded.heapUsed(),
      close: () => (closed ??= close()),
    }
  }
  const client = await PGlite.create({ extensions: { vector } })
  return fromPglite(client, true)
}

/** Wraps an existing PGlite instance (which must have the `vector` extension loaded). */
export function fromPglite(client: PGlite, owned = false): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1')
    },
    close: async () => {
      if (owned) await client.close()
    },
  }
}

function openPostgres(connection: pg.PoolConfig, max: number): Database {
  const pool = new pg.Pool({ ...connection, max })
  // An idle client's error (the server restarted, say) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const db = drizzlePg(pool, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    close: () => pool.end(),
  }
}
