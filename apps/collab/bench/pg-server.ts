import { openDatabase, startVacuumer } from '@mimiverse/db'
import { newPgliteServer } from '@mimiverse/db/testing'

/**
 * The two-node phase's PostgreSQL: PGlite served over the wire protocol (as in `test/scale-out.test.ts`), on
 * disk in the folder the driver made (`PG_DATA_DIR`, its only setting, so it is read here), in a process of
 * its own so its WebAssembly does not share an event loop with the driver or a node. Prints
 * `pglite listening at <url>` when ready; exits on SIGTERM.
 */
const dataDir = process.env.PG_DATA_DIR
if (!dataDir) throw new Error('PG_DATA_DIR is not set')
// Each node pools up to 10 connections (`openDatabase`); two nodes, plus head room for a third while one restarts.
const server = await newPgliteServer({ dataDir, maxConnections: 40 })
// A PostgreSQL server vacuums by itself; PGlite does not (see `db/src/vacuum.ts`): do it as autovacuum would,
// over a connection of its own.
const maintenance = await openDatabase({ url: server.url, poolSize: 1 })
const vacuumer = startVacuumer(maintenance.db, {
  onError: (e) => process.stderr.write(`vacuum failed: ${e.message}\n`),
})
process.stdout.write(`pglite listening at ${server.url}\n`)

process.once('SIGTERM', () => {
  vacuumer
    .close()
    .then(() => maintenance.close())
    .then(() => server.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    )
})
