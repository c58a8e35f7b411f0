import { createHash } from 'node:crypto'
import { and, eq, gt } from 'drizzle-orm'
import type { Role } from '@mimiverse/shared'
import type { Db } from '../client'
import { sessions, users } from '../schema/accounts'
import { memberships } from '../schema/projects'

/**
 * The lookups every service needs to authenticate a request and authorize it by project role. They live here,
 * not in an app, because the collab server and the AI service both answer to the same sessions and memberships.
 */

/** What is stored instead of a bearer secret (session token, invite code): a leaked table yields nothing usable. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface SessionUser {
  id: string
  email: string
  name: string
}

/** The user a session token belongs to, or `null` for an unknown or expired token. */
export async function findSessionUser(db: Db, token: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())))
  return row ?? null
}

/** The user's role in the project, or `null` when they are not a member. */
export async function findRole(db: Db, userId: string, projectId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.projectId, projectId)))
  return row?.role ?? null
}
