import { randomBytes } from 'node:crypto'
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Db } from '../client'

/** A row one append wrote: the log position PostgreSQL gave it, and its document. */
export interface AppendedRow {
  seq: number
  docName: string
}

/**
 * The prepared statement's name on each `pg` connection. Unique per connection, not one fixed name: PGlite
 * behind a socket server or on its thread is one session for every connection, where a second connection
 * preparing the same name would fail.
 */
const statementNames = new WeakMap<pg.PoolClient, string>()

type Row = { seq: string | number; doc_name: string }

const TEXT = `insert into document_updates (doc_name, "update")
  select * from unnest($1::text[], $2::bytea[])
  returning seq, doc_name`

/**
 * Appends updates to the document log in one INSERT with two array parameters (`unnest`), not two parameters per
 * row: building and parsing a 2×256-parameter statement cost the collab server more than PostgreSQL's work.
 * `docNames[i]` is the document of `updates[i]`. PostgreSQL does not promise RETURNING order, so rows are paired
 * with their documents only.
 *
 * Through the `pg` driver (a PostgreSQL server, or the embedded database on its thread) the statement is prepared
 * once per connection and each append only binds and executes it: this is the write of every keystroke, and
 * planning it anew cost the embedded database a third of each INSERT.
 */
export async function appendDocumentUpdates(
  db: Db,
  docNames: string[],
  updates: Uint8Array[],
): Promise<AppendedRow[]> {
  const client = (db as { $client?: unknown }).$client
  const values = [docNames, updates]
  const { rows } =
    client instanceof pg.Pool
      ? await prepared(client, values)
      : await (client as PGlite).query<Row>(TEXT, values)
  return rows.map((r) => ({ seq: Number(r.seq), docName: r.doc_name }))
}

async function prepared(pool: pg.Pool, values: unknown[]): Promise<pg.QueryResult<Row>> {
  const client = await pool.connect()
  let name = statementNames.get(client)
  if (!name) statementNames.set(client, (name = `mimi_append_${randomBytes(8).toString('hex')}`))
  try {
    const result = await client.query<Row>({ name, text: TEXT, values })
    client.release()
    return result
  } catch (e: unknown) {
    // As `pool.query` does: a connection that failed a query is not handed out again.
    client.release(e instanceof Error ? e : new Error(String(e)))
    throw e
  }
}
