import type { ServerResponse } from 'node:http'
import { migrationStatus, type Database } from '@mimiverse/db'
import { sendJson } from './respond'

/** `GET /healthz`: the process is up and serving HTTP. */
export function healthz(res: ServerResponse, started: number): void {
  sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) })
}

/** `GET /readyz`: the database answers and every committed migration is applied; 503 otherwise. */
export async function readyz(
  res: ServerResponse,
  database: Database,
  draining: () => boolean,
): Promise<void> {
  if (draining()) return sendJson(res, 503, { status: 'shutting down' })
  try {
    await database.ping()
    const migrations = await migrationStatus(database)
    const ready = migrations.applied >= migrations.expected
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'migrations pending',
      database: database.kind,
      migrations,
    })
  } catch (e: unknown) {
    sendJson(res, 503, { status: 'database unreachable', error: e instanceof Error ? e.message : String(e) })
  }
}
