import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { newPgliteServer } from '@mimiverse/db/testing'
import type { Cleanup } from './cleanup'
import { spawnChild } from './child-process'
import { startServerProcess, type ServerProcess } from './server-process'

/**
 * The servers of one phase of `bench:load`. One node: the product's default, embedded PGlite on disk in the
 * node's DATA_DIR. Two nodes: both on one PostgreSQL (PGlite over the wire protocol, on disk) and on the
 * machine's Redis under a fresh key prefix, as `test/scale-out.test.ts` runs them.
 */
export interface Cluster {
  nodes: ServerProcess[]
  /** The database server's process, when it runs in a process of its own (two nodes, `pgServer: child`). */
  databasePid: number | undefined
  describe: string
}

export async function startOneNode(cleanup: Cleanup, nodeArgs: string[] = []): Promise<Cluster> {
  const node = await startServerProcess(cleanup, nodeArgs)
  return {
    nodes: [node],
    databasePid: undefined,
    describe: `1 node (pid ${node.pid}), embedded PGlite on disk`,
  }
}

export async function startTwoNodes(
  cleanup: Cleanup,
  opts: { redisUrl: string; pgServer: 'child' | 'in-process'; nodeArgs?: string[] },
): Promise<Cluster> {
  const pg = await startPostgres(cleanup, opts.pgServer)
  const prefix = `bench-load-${randomUUID()}`
  cleanup.add(`delete the Redis keys under ${prefix}`, () => deleteRedisKeys(opts.redisUrl, prefix))
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: opts.redisUrl,
    REDIS_PREFIX: prefix,
    // Both nodes must sign and verify the same collab tokens and sessions.
    SECRET: randomBytes(32).toString('hex'),
  }
  // One after the other: the first applies the migrations, the second finds them applied.
  const first = await startServerProcess(cleanup, opts.nodeArgs, env)
  const second = await startServerProcess(cleanup, opts.nodeArgs, env)
  const where = pg.pid === undefined ? 'in the bench process' : `its own process, pid ${pg.pid}`
  return {
    nodes: [first, second],
    databasePid: pg.pid,
    describe: `2 nodes (pids ${first.pid}, ${second.pid}) over Redis (prefix ${prefix}), PGlite server on disk in ${where}`,
  }
}

const PG_SERVER = fileURLToPath(new URL('./pg-server.ts', import.meta.url))

async function startPostgres(cleanup: Cleanup, where: 'child' | 'in-process') {
  const dataDir = await mkdtemp(join(tmpdir(), 'mimiverse-bench-pg-'))
  cleanup.add('remove the PGlite server data directory', () => rm(dataDir, { recursive: true, force: true }))
  if (where === 'in-process') {
    const server = await newPgliteServer({ dataDir, maxConnections: 40 })
    cleanup.add('stop the PGlite server', () => server.close())
    return { url: server.url, pid: undefined }
  }
  const child = await spawnChild({
    entry: PG_SERVER,
    env: { PG_DATA_DIR: dataDir },
    ready: /pglite listening at (\S+)/,
    timeoutMs: 60_000,
  })
  cleanup.add('stop the PGlite server', () => child.stop())
  return { url: child.ready[1] ?? '', pid: child.pid }
}

/** Deletes every key under the run's prefix (rate-limit windows, Hocuspocus locks); channels leave nothing. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}
