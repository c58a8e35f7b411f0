import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { workspaceLeases } from '../schema/workspaces'

/**
 * Takes or renews the lease on a project's workspace for `holder`, for `ttlMs` from now (the database's clock,
 * so nodes' clocks need not agree). Succeeds when nobody holds it, `holder` already does, or the lease expired;
 * one statement, so two runners racing for it cannot both win.
 */
export async function acquireWorkspaceLease(
  db: Db,
  lease: { projectId: string; holder: string; ttlMs: number },
): Promise<boolean> {
  const expiresAt = sql`now() + make_interval(secs => ${lease.ttlMs / 1000})`
  const rows = await db
    .insert(workspaceLeases)
    .values({ projectId: lease.projectId, holder: lease.holder, expiresAt })
    .onConflictDoUpdate({
      target: workspaceLeases.projectId,
      set: { holder: lease.holder, expiresAt },
      setWhere: sql`${workspaceLeases.holder} = ${lease.holder} or ${workspaceLeases.expiresAt} < now()`,
    })
    .returning({ holder: workspaceLeases.holder })
  return rows.length === 1
}

/** Gives the lease up, if `holder` still holds it. */
export async function releaseWorkspaceLease(db: Db, projectId: string, holder: string): Promise<void> {
  await db
    .delete(workspaceLeases)
    .where(and(eq(workspaceLeases.projectId, projectId), eq(workspaceLeases.holder, holder)))
}
