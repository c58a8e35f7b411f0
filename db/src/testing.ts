import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import pg from 'pg'
import { openDatabase, type Database, type Db } from './client'
import { migrate } from './migrate'
import { documentQuarantine } from './schema/documents'

/**
 * A Yjs update that decodes but throws when applied (a delete range of length 0 for a client no document has
 * seen): what an editor sent in a security review, and what bricked a document once it was logged.
 */
export const UNAPPLICABLE_UPDATE = new Uint8Array([0x00, 0x01, 0x95, 0x9a, 0xef, 0x3a, 0x01, 0x00, 0x00])

/**
 * Mutated updates the collab fuzzer sent (seeds 11, 222 and 969444), each of one made-up client: they decode and
 * apply without an error, but an item's right origin is its origin or lies left of it, so the document they
 * make and a document loaded from its re-encoded state (a stored snapshot) hold different text.
 */
export const MISPLACING_UPDATES: readonly Uint8Array[] = [
  '0104f3fe8e890300040107636f6e74656e740c09c3a9e2808b797af09f988084f3fe8e8903060161c1f3fe8e890307f3fe8e89030701c4f3fe8e890308f3fe8e89030704797d296101f3fe8e8903010801',
  '0107c4f0d46b00040107636f6e74656e7403620a6184c4f0d46b020162c4c4f0d46b02c4f0d46b03057a20797879c4c4f0d46b08c4f0d46b03050ae2808b79c4c4f0d46b08c4f0d46b0905617a202028c4c4f0d46b10c4f0d46b09067a62f09f9880c4c4f0d46b10c4f0d46b10017a00',
  '0104f58d8ffc0100040107636f6e74656e74017b84f58d8ffc0100040ae4b880c4f58d8ffc0101f58d8ffc0101012844f58d8ffc01000de280aef09f9880622878e4b88000',
].map((hex) => new Uint8Array(Buffer.from(hex, 'hex')))

/** The rows of `document_quarantine`: document, seq (null for a snapshot), bytes and reason of each. */
export function quarantinedRows(db: Db) {
  return db
    .select({
      docName: documentQuarantine.docName,
      seq: documentQuarantine.seq,
      update: documentQuarantine.update,
      reason: documentQuarantine.reason,
    })
    .from(documentQuarantine)
}

/**
 * A PostgreSQL server the suites also run on (`TEST_DATABASE_URL`, a superuser's URL; CI sets it to the
 * machine's PostgreSQL 15, which has no pgvector). Unset: those runs are left out (`.ci/run` fails instead
 * when the server is missing).
 */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined

/**
 * Which database `newTestDatabase` opens: in-memory PGlite, or a fresh database on `TEST_DATABASE_URL`'s server
 * when `TEST_DATABASE_DRIVER=postgres` (db's vitest config runs its query suites once that way).
 */
const testDriver = process.env.TEST_DATABASE_DRIVER === 'postgres' ? 'postgres' : 'pglite'

/**
 * A migrated database for one test; `close()` frees it (in-memory PGlite, or a fresh database on the test
 * server, dropped on close: see `testDriver`).
 */
export async function newTestDatabase(): Promise<Database> {
  if (testDriver === 'pglite') {
    const database = await openDatabase({})
    await migrate(database)
    return database
  }
  const server = await newPostgresDatabase()
  const database = await openDatabase({ url: server.url, poolSize: 4 })
  await migrate(database)
  return {
    ...database,
    close: async () => {
      await database.close()
      await server.close()
    },
  }
}

/**
 * A fresh, empty database on the `TEST_DATABASE_URL` server (which must be set): `url` reaches it, `close()`
 * drops it, ending any connection still open. Same shape as `newPgliteServer`, so a suite runs on either.
 */
export async function newPostgresDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `mimiverse_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  await adminQuery(`create database ${name}`)
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  let closed: Promise<void> | undefined
  return {
    url: url.toString(),
    close: () => (closed ??= adminQuery(`drop database if exists ${name} with (force)`)),
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/**
 * The PostgreSQL servers a suite of the `pg` driver runs on: PGlite behind a socket always, the real server when
 * `TEST_DATABASE_URL` is set (for `describe.each`).
 */
export function testServers(): [string, () => Promise<{ url: string; close(): Promise<void> }>][] {
  const servers: [string, () => Promise<{ url: string; close(): Promise<void> }>][] = [
    ['pglite-socket', () => newPgliteServer()],
  ]
  if (testDatabaseUrl) servers.push(['postgres', newPostgresDatabase])
  return servers
}

/** A fresh temporary folder; `remove()` deletes it. */
export async function newTempDir(prefix = 'mimiverse-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/**
 * PGlite served over the PostgreSQL wire protocol on a loopback port, so the `pg` driver path is exercised
 * against a real server. `url` is a `postgres://` URL; `close()` stops the server and the database.
 */
export async function newPgliteServer(
  options: { dataDir?: string; maxConnections?: number } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } })
  const server = new PGLiteSocketServer({
    db,
    port: 0,
    host: '127.0.0.1',
    maxConnections: options.maxConnections ?? 10,
  })
  await server.start()
  const conn = server.getServerConn()
  return {
    url: `postgres://postgres:postgres@${conn}/postgres?sslmode=disable`,
    close: async () => {
      await server.stop()
      await db.close()
    },
  }
}
