import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Cleanup } from './cleanup'
import { spawnChild, type Child } from './child-process'

export interface ServerProcess extends Child {
  url: string
  dataDir: string
}

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url))

/**
 * Starts the real server (`src/main.ts`) as its own process, as in production: port 0, a fresh temp DATA_DIR,
 * so the embedded PGlite database lives on disk and every acknowledged update is committed there first
 * (durability on). DATABASE_URL and SECRET are cleared so an outer environment cannot point the bench at a
 * real database; only `env` sets them (the bench's own PGlite server for several nodes). Stopping the process and removing the directory are registered with `cleanup`.
 */
export async function startServerProcess(
  cleanup: Cleanup,
  nodeArgs: string[] = [],
  /** Server variables on top of these defaults, e.g. DATABASE_URL and REDIS_URL for several nodes. */
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mimiverse-bench-'))
  cleanup.add('remove the server data directory', () => rm(dataDir, { recursive: true, force: true }))
  const child = await spawnChild({
    entry: MAIN,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: undefined,
      SECRET: undefined,
      // Every simulated client connects from loopback, and many share one account (the sign-up limit): the
      // per-address and per-user socket caps would refuse them.
      COLLAB_MAX_SOCKETS_PER_ADDRESS: '100000',
      COLLAB_MAX_SOCKETS_PER_USER: '100000',
      COLLAB_MAX_DOCUMENTS_PER_USER: '100000',
      ...env,
    },
    // Loopback only, on a free port: the bench forces garbage collections through it before memory readings.
    nodeArgs: ['--inspect=127.0.0.1:0', ...nodeArgs],
    ready: /Mimiverse is running at (\S+)/,
    timeoutMs: 60_000,
  })
  cleanup.add('stop the server', () => child.stop())
  return { ...child, url: child.ready[1] ?? '', dataDir }
}
