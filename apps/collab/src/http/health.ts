import type { ServerResponse } from 'node:http'
import type { Redis } from 'ioredis'
import { migrationStatus, type Database } from '@mimiverse/db'
import { sendJson, type Logger } from '@mimiverse/server-kit'

/** `GET /healthz`: the process is up and serving HTTP. */
export function healthz(res: ServerResponse, started: number): void {
  sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) })
}

/**
 * `GET /readyz`: the database answers, every committed migration is applied, and Redis (when configured)
 * answers; 503 otherwise, and while shutting down. Why a check failed is logged, not answered: the error text of a
 * database or Redis client can name hosts, users and paths.
 */
export async function readyz(
  res: ServerResponse,
  deps: { database: Database; redis?: Redis; draining: () => boolean; log: Logger },
): Promise<void> {
  if (deps.draining()) return sendJson(res, 503, { status: 'shutting down' })
  const { database, redis } = deps
  try {
    await database.ping()
    const migrations = await migrationStatus(database)
    const ready = migrations.applied >= migrations.expected
    if (redis) await redis.ping()
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'migrations pending',
      database: database.kind,
      redis: redis ? 'ok' : 'not configured',
      migrations,
    })
  } catch (e: unknown) {
    deps.log.warn('readiness check failed', { error: e })
    sendJson(res, 503, { status: 'not ready' })
  }
}
