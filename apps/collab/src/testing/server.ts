import { openDatabase, migrate, type Database } from '@mimiverse/db'
import { createLogger } from '@mimiverse/server-kit'
import { parseEnv, type Env } from '../env'
import { lateMountDeps, type MountDeps, type RunOptions } from '../run'
import { startServer, type MimiverseServer } from '../server'
import { connectAccessChanges } from '../services/redis'

/** The secret test servers sign collab tokens with (a mounted AI service shares it). */
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef'

export interface TestServer extends MimiverseServer {
  database: Database
  /** Stops the server; the database too unless it was passed in. */
  stop(): Promise<void>
}

/**
 * A real server on a loopback port 0 with a migrated in-memory PGlite database (or the one given), as in
 * hocuspocus' `tests/utils/newHocuspocus.ts`. Logs are silent unless LOG_LEVEL is set.
 */
export async function newTestServer(
  options: {
    env?: Record<string, string>
    database?: Database
    webRoot?: string
    /** Other handlers on the same port, as `scripts/embedded.ts` mounts the AI service. */
    mounts?: (deps: MountDeps) => ReturnType<NonNullable<RunOptions['mounts']>>
  } = {},
): Promise<TestServer> {
  const env: Env = parseEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  const database = options.database ?? (await openDatabase({}))
  if (!options.database) await migrate(database)
  const log = createLogger(env.LOG_LEVEL)
  const secret = TEST_SECRET
  const accessChanges = connectAccessChanges(env.REDIS_URL, env.REDIS_PREFIX, log)
  await accessChanges.ready()
  const late = lateMountDeps({ database, log, secret, accessChanges })
  const server = await startServer({
    env,
    database,
    secret,
    log,
    accessChanges,
    mounts: options.mounts?.(late.deps),
    onProjectActivity: late.onProjectActivity,
    webRoot: options.webRoot ?? new URL('../../../web/public', import.meta.url).pathname,
  })
  late.listening(server, env.HOST)
  return {
    ...server,
    database,
    stop: async () => {
      await server.close()
      await accessChanges.close()
      if (!options.database) await database.close()
    },
  }
}
