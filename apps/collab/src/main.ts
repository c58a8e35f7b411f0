import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { migrate, openDatabase } from '@mimiverse/db'
import { parseEnv } from './env'
import { createLogger } from './logger'
import { loadOrCreateSecret } from './secret'
import { startServer } from './server'

/** `npm start`: the embedded default — one process, PGlite in DATA_DIR unless DATABASE_URL is set. */
async function main() {
  const env = parseEnv()
  const log = createLogger(env.LOG_LEVEL, { service: 'collab' })
  await mkdir(env.DATA_DIR, { recursive: true, mode: 0o700 })
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : `${env.DATA_DIR}/db`,
  })
  await migrate(database)
  const secret = await loadOrCreateSecret(env.DATA_DIR, env.SECRET)
  const built = fileURLToPath(new URL('../../web/dist', import.meta.url))
  const placeholder = fileURLToPath(new URL('../../web/public', import.meta.url))
  const webRoot = env.WEB_DIST ?? (existsSync(built) ? built : placeholder)
  const server = await startServer({ env, database, secret, log, webRoot })
  log.info('listening', {
    url: server.url,
    port: server.port,
    database: database.kind,
    dataDir: env.DATA_DIR,
  })
  process.stdout.write(`\nMimiverse is running at ${server.url}\n\n`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    server
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        log.error('shutdown failed', { error: e })
        process.exit(1)
      })
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((e: unknown) => {
  process.stderr.write(`Mimiverse failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
