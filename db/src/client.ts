import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import * as schema from './schema/index'

/** The drizzle database both drivers are used through; the rest of the code never sees which one it is. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  readonly db: Db
  /** `pglite` for the embedded default, `postgres` for a server reached with `DATABASE_URL`. */
  readonly kind: 'pglite' | 'postgres'
  /** Round-trips a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** A `postgres://` URL. When set, the `pg` driver is used and `dataDir` is ignored. */
  url?: string
  /** Folder for the embedded PGlite database; omit for an in-memory database (tests). */
  dataDir?: string
  /** Largest number of pooled `pg` connections. Default 10. */
  poolSize?: number
}

/** Opens the embedded PGlite database (with pgvector) or a PostgreSQL server, per options. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10)
  const client = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } })
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

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max })
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
