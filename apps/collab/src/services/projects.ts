import { and, asc, eq, gt } from 'drizzle-orm'
import { hashToken, type Db } from '@mimiverse/db'
import type { AccessChanges } from '@mimiverse/server-kit'
import { invites, memberships, projects, users } from '@mimiverse/db/schema'
import { AppError, ErrorCode, Role, roleAtLeast, type InviteRole } from '@mimiverse/shared'
import type { AccessService } from './access'
import { newSecretToken } from './secrets'

/** How long an invite code can be used. */
export const INVITE_TTL_MS = 7 * 86_400_000

export interface ProjectService {
  create(userId: string, name: string): Promise<{ id: string; name: string }>
  list(userId: string): Promise<{ id: string; name: string; role: Role; createdAt: Date }[]>
  invite(
    userId: string,
    projectId: string,
    role: InviteRole,
  ): Promise<{ code: string; role: InviteRole; expiresAt: Date }>
  join(userId: string, code: string): Promise<{ projectId: string; role: Role }>
  /** The members of a project; only its owners see their email addresses. */
  members(userId: string, projectId: string): Promise<Member[]>
}

export interface Member {
  userId: string
  name: string
  role: Role
  /** Only in an owner's listing: an address is for whoever manages the project, not for every reviewer. */
  email?: string
}

/** Every membership write is announced (`accessChanges`), so services that cache roles forget the old one. */
export function createProjectService(
  db: Db,
  access: AccessService,
  accessChanges: AccessChanges,
): ProjectService {
  return {
    async create(userId, name) {
      return db.transaction(async (tx) => {
        const [project] = await tx
          .insert(projects)
          .values({ name, createdBy: userId })
          .returning({ id: projects.id, name: projects.name })
        await tx.insert(memberships).values({ projectId: project!.id, userId, role: Role.Owner })
        return project!
      })
    },
    async list(userId) {
      return db
        .select({
          id: projects.id,
          name: projects.name,
          role: memberships.role,
          createdAt: projects.createdAt,
        })
        .from(memberships)
        .innerJoin(projects, eq(projects.id, memberships.projectId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(projects.name))
    },
    async invite(userId, projectId, role) {
      await access.require(userId, projectId, Role.Owner)
      const code = newSecretToken()
      const expiresAt = new Date(Date.now() + INVITE_TTL_MS)
      await db
        .insert(invites)
        .values({ codeHash: hashToken(code), projectId, role, createdBy: userId, expiresAt })
      return { code, role, expiresAt }
    },
    async join(userId, code) {
      const [invite] = await db
        .select()
        .from(invites)
        .where(and(eq(invites.codeHash, hashToken(code)), gt(invites.expiresAt, new Date())))
      if (!invite) throw new AppError(ErrorCode.NotFound, 'This invite link is invalid or has expired')
      const current = await access.roleOf(userId, invite.projectId)
      // Joining never lowers a role: an owner who opens a reviewer link stays owner.
      if (current && roleAtLeast(current, invite.role)) return { projectId: invite.projectId, role: current }
      await db
        .insert(memberships)
        .values({ projectId: invite.projectId, userId, role: invite.role })
        .onConflictDoUpdate({
          target: [memberships.projectId, memberships.userId],
          set: { role: invite.role },
        })
      await accessChanges.publish({ kind: 'membership', userId, projectId: invite.projectId })
      return { projectId: invite.projectId, role: invite.role }
    },
    async members(userId, projectId) {
      const role = await access.require(userId, projectId, Role.Reviewer)
      const rows = await db
        .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.projectId, projectId))
        .orderBy(asc(users.name))
      return role === Role.Owner ? rows : rows.map(({ email: _email, ...member }) => member)
    },
  }
}
