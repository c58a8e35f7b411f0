import { and, eq, gt } from 'drizzle-orm'
import { findRole, type Db } from '@mimiverse/db'
import { files, sessions } from '@mimiverse/db/schema'
import { AppError, ErrorCode, roleAtLeast, type Role } from '@mimiverse/shared'

/** Membership and role checks shared by the API and the collab server. */
export interface AccessService {
  /** The user's role in the project, or `null` when they are not a member. */
  roleOf(userId: string, projectId: string): Promise<Role | null>
  /** Throws FORBIDDEN unless the user's role in the project is at least `required`; returns the role. */
  require(userId: string, projectId: string, required: Role): Promise<Role>
  fileExists(projectId: string, fileId: string): Promise<boolean>
  /** Whether the user's session with this token hash still exists and has not expired. */
  sessionActive(userId: string, tokenHash: string): Promise<boolean>
}

export function createAccessService(db: Db): AccessService {
  const roleOf = (userId: string, projectId: string) => findRole(db, userId, projectId)
  return {
    roleOf,
    async require(userId, projectId, required) {
      const role = await roleOf(userId, projectId)
      if (!role) throw new AppError(ErrorCode.Forbidden, 'You are not a member of this project')
      if (!roleAtLeast(role, required)) {
        throw new AppError(ErrorCode.Forbidden, `This needs the ${required} role; you are ${role}`)
      }
      return role
    },
    async fileExists(projectId, fileId) {
      const [row] = await db
        .select({ id: files.id })
        .from(files)
        .where(and(eq(files.id, fileId), eq(files.projectId, projectId)))
      return row !== undefined
    },
    async sessionActive(userId, tokenHash) {
      const [row] = await db
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())))
      return row?.userId === userId
    },
  }
}
