// @ts-check
/**
 * The embedded database's thread: PGlite (PostgreSQL in WebAssembly) on disk in `workerData.dataDir`, served
 * over the PostgreSQL wire protocol on the Unix socket `workerData.socketPath`, for `embedded.ts`.
 *
 * PGlite runs each query synchronously on the thread that calls it. On the server's main thread, every commit of
 * the durable log stopped all sockets for its duration (profiled under load: 40% of the main thread). Here it
 * runs beside the event loop, on another core when there is one.
 *
 * Plain JavaScript that imports only installed packages, so the same file runs from the sources (tsx, vitest)
 * and next to a production bundle.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

if (!parentPort) throw new Error('pglite-worker.mjs runs as a worker thread')
const port = parentPort
const { dataDir, socketPath, maxConnections } = workerData

try {
  const db = await PGlite.create({ dataDir, extensions: { vector } })
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections })
  await server.start()
  port.on('message', (message) => {
    if (message !== 'close') return
    // Stop taking queries, then close the database so its last writes reach the disk.
    server
      .stop()
      .then(() => db.close())
      .then(
        () => port.postMessage({ closed: true }),
        (e) => port.postMessage({ closed: true, error: String(e?.message ?? e) }),
      )
  })
  port.postMessage({ ready: true })
} catch (e) {
  port.postMessage({ error: String(/** @type {Error} */ (e)?.message ?? e) })
}
