import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { openDatabase, type Database, type Db } from './client'
import { migrate } from './migrate'
import { documentQuarantine } from './schema/documents'

/**
 * A Yjs update that decodes but throws when applied (a delete range of length 0 for a client no document has
 * seen): what an editor sent in a security review, and what bricked a document once it was logged.
 */
export const UNAPPLICABLE_UPDATE = new Uint8Array([0x00, 0x01, 0x95, 0x9a, 0xef, 0x3a, 0x01, 0x00, 0x00])

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

/** A migrated in-memory PGlite database for one test; `close()` frees it. */
export async function newTestDatabase(): Promise<Database> {
  const database = await openDatabase({})
  await migrate(database)
  return database
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
