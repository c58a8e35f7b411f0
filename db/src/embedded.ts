import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

/** How `pg` reaches the embedded database: a Unix socket `<host>/.s.PGSQL.<port>`. */
export interface EmbeddedPostgres {
  connection: { host: string; port: number; user: string; database: string }
  /** Stops serving and closes the database (its writes reach the disk); idempotent. */
  close(): Promise<void>
}

export interface EmbeddedPostgresOptions {
  dataDir: string
  /** Called once if the database thread dies while open; by default the process fails with the reason. */
  onLost?: (error: Error) => void
  /** Longest wait for the database to open (a first start creates it). Default 120 s. */
  startTimeoutMs?: number
}

/** The socket file is `.s.PGSQL.<port>` in its folder, as libpq and `pg` look it up. */
const SOCKET_PORT = 5432
const WORKER = new URL('./pglite-worker.mjs', import.meta.url)

type FromWorker = { ready: true } | { closed: true; error?: string } | { error: string }

/**
 * Starts the embedded PGlite database on a worker thread (`pglite-worker.mjs`) and serves it on a Unix socket
 * in a fresh private folder (mode 0700: no other local user can connect, and the wire protocol has no password
 * here). The caller talks to it with the `pg` driver, the production code path.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const socketDir = await mkdtemp(join(tmpdir(), 'mimiverse-db-'))
  const worker = new Worker(WORKER, {
    workerData: {
      dataDir: options.dataDir,
      socketPath: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      maxConnections: 4,
    },
  })
  let closing: Promise<void> | undefined
  const removeSocketDir = () => rm(socketDir, { recursive: true, force: true })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`the embedded database did not open within ${options.startTimeoutMs ?? 120_000} ms`),
          ),
        options.startTimeoutMs ?? 120_000,
      )
      const settle = (error?: Error) => {
        clearTimeout(timer)
        worker.off('message', onMessage).off('error', settle).off('exit', onExit)
        if (error) reject(error)
        else resolve()
      }
      const onMessage = (m: FromWorker) =>
        settle(
          'error' in m && m.error ? new Error(`the embedded database did not open: ${m.error}`) : undefined,
        )
      const onExit = (code: number) => settle(new Error(`the embedded database thread exited (code ${code})`))
      worker.on('message', onMessage).on('error', settle).on('exit', onExit)
    })
  } catch (e: unknown) {
    await worker.terminate()
    await removeSocketDir()
    throw e
  }

  const lost = (error: Error) => {
    if (closing) return
    const onLost =
      options.onLost ??
      ((e: Error) =>
        process.nextTick(() => {
          throw e
        }))
    onLost(new Error(`the embedded database stopped: ${error.message}`))
  }
  worker.on('error', lost)
  worker.on('exit', (code) => lost(new Error(`its thread exited with code ${code}`)))

  const close = async () => {
    const done = new Promise<void>((resolve) => {
      worker.on('message', (m: FromWorker) => {
        if ('closed' in m) resolve()
      })
      worker.once('exit', () => resolve())
    })
    worker.postMessage('close')
    await done
    await worker.terminate()
    await removeSocketDir()
  }
  return {
    connection: { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
    close: () => (closing ??= close()),
  }
}
