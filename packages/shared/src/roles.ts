import { z } from 'zod'

/** A member's role in a project: owners also invite, editors write, reviewers only read. */
export const Role = { Owner: 'owner', Editor: 'editor', Reviewer: 'reviewer' } as const
export type Role = (typeof Role)[keyof typeof Role]
export const roleSchema = z.enum([Role.Owner, Role.Editor, Role.Reviewer])

/** Roles an invite can grant: ownership is never handed out by link. */
export const inviteRoleSchema = z.enum([Role.Editor, Role.Reviewer])
export type InviteRole = z.infer<typeof inviteRoleSchema>

const rank: Record<Role, number> = { reviewer: 0, editor: 1, owner: 2 }

/** Whether `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return rank[role] >= rank[required]
}

export function canWrite(role: Role): boolean {
  return roleAtLeast(role, Role.Editor)
}
