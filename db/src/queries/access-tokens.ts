import { randomBytes } from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Role } from '@mimiverse/shared'
import type { Db } from '../client'
import { accessTokens } from '../schema/access-tokens'
import { hashToken } from './access'

/** A token as its project's members see it: never the token itself, which is shown once at creation. */
export interface AccessTokenRow {
  id: string
  projectId: string
  userId: string
  role: Role
  label: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

/** Recognizable in logs and by secret scanners. */
export const ACCESS_TOKEN_PREFIX = 'mimi_pat_'

const columns = {
  id: accessTokens.id,
  projectId: accessTokens.projectId,
  userId: accessTokens.userId,
  role: accessTokens.role,
  label: accessTokens.label,
  createdAt: accessTokens.createdAt,
  lastUsedAt: accessTokens.lastUsedAt,
  revokedAt: accessTokens.revokedAt,
}

/** Creates a token; the returned `token` is the only time it exists outside its holder's hands. */
export async function createAccessToken(
  db: Db,
  t: { projectId: string; userId: string; role: Role; label: string },
): Promise<{ token: string; row: AccessTokenRow }> {
  const token = ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const [row] = await db
    .insert(accessTokens)
    .values({ ...t, tokenHash: hashToken(token) })
    .returning(columns)
  return { token, row: row! }
}

/** The project's tokens, newest first (revoked ones included, marked). */
export function listAccessTokens(db: Db, projectId: string): Promise<AccessTokenRow[]> {
  return db
    .select(columns)
    .from(accessTokens)
    .where(eq(accessTokens.projectId, projectId))
    .orderBy(desc(accessTokens.createdAt))
    .limit(200)
}

/** The live (not revoked) token with this secret, or null. */
export async function findAccessToken(db: Db, token: string): Promise<AccessTokenRow | null> {
  const [row] = await db
    .select(columns)
    .from(accessTokens)
    .where(and(eq(accessTokens.tokenHash, hashToken(token)), isNull(accessTokens.revokedAt)))
  return row ?? null
}

export async function findAccessTokenById(db: Db, id: string): Promise<AccessTokenRow | null> {
  const [row] = await db.select(columns).from(accessTokens).where(eq(accessTokens.id, id))
  return row ?? null
}

/** Marks a token revoked (idempotent); returns whether it was live. */
export async function revokeAccessToken(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.id, id), isNull(accessTokens.revokedAt)))
    .returning({ id: accessTokens.id })
  return rows.length > 0
}

export async function touchAccessToken(db: Db, id: string, at: Date): Promise<void> {
  await db.update(accessTokens).set({ lastUsedAt: at }).where(eq(accessTokens.id, id))
}
