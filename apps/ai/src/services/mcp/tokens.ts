import { eq } from 'drizzle-orm'
import {
  createAccessToken,
  findAccessToken,
  findAccessTokenById,
  listAccessTokens,
  revokeAccessToken,
  touchAccessToken,
  type AccessTokenRow,
  type Db,
} from '@mimiverse/db'
import { users } from '@mimiverse/db/schema'
import type { Logger } from '@mimiverse/server-kit'
import { AppError, ErrorCode, Role, roleAtLeast } from '@mimiverse/shared'
import type { Workspace } from '../workspace'

/**
 * Personal access tokens for outside agents (`/mcp`). A member creates one for one project with a role no
 * higher than their own; only its hash is stored and it is shown once. Every `/mcp` request authenticates
 * again: the token must be live and its creator still a member, and the role it acts with is the lower of the
 * token's and the creator's current one, so demoting or removing a member demotes their tokens at once.
 * Revoking ends the token's sessions in this process at once (`onRevoked`); other nodes refuse its next request.
 */
export interface McpTokens {
  create(user: User, input: { projectId: string; label: string; role: Role }): Promise<CreatedToken>
  /** Owners see every token of the project, other members their own. */
  list(user: User, projectId: string): Promise<AccessTokenInfo[]>
  /** The creator or an owner of the project. */
  revoke(user: User, tokenId: string): Promise<AccessTokenInfo>
  /** Who a bearer token acts for, now; null for an unknown or revoked token or a creator no longer a member. */
  authenticate(token: string): Promise<Principal | null>
  onRevoked(listener: (tokenId: string) => void): () => void
}

interface User {
  id: string
  name: string
}

export interface AccessTokenInfo {
  id: string
  projectId: string
  label: string
  role: Role
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface CreatedToken {
  /** The secret, shown once. */
  token: string
  info: AccessTokenInfo
}

export interface Principal {
  tokenId: string
  projectId: string
  label: string
  user: User
  role: Role
}

/** `last_used_at` is written at most this often per token (a busy agent would otherwise write on every call). */
const TOUCH_EVERY_MS = 60_000

function info(row: AccessTokenRow): AccessTokenInfo {
  return {
    id: row.id,
    projectId: row.projectId,
    label: row.label,
    role: row.role,
    createdBy: row.userId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

const lower = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? b : a)

export function createMcpTokens(o: { db: Db; workspace: Workspace; log: Logger }): McpTokens {
  const { db, workspace } = o
  const listeners = new Set<(tokenId: string) => void>()
  const touched = new Map<string, number>()
  const touch = (id: string) => {
    const now = Date.now()
    if (now - (touched.get(id) ?? 0) < TOUCH_EVERY_MS) return
    touched.set(id, now)
    touchAccessToken(db, id, new Date(now)).catch((e: unknown) =>
      o.log.warn('access token use not recorded', { error: e }),
    )
  }
  return {
    async create(user, input) {
      const mine = await workspace.requireMember(user.id, input.projectId)
      if (!roleAtLeast(mine, input.role)) {
        throw new AppError(ErrorCode.Forbidden, `A ${mine} cannot make a token with the role ${input.role}`)
      }
      const { token, row } = await createAccessToken(db, { ...input, userId: user.id })
      o.log.info('access token created', { tokenId: row.id, projectId: row.projectId, role: row.role })
      return { token, info: info(row) }
    },
    async list(user, projectId) {
      const role = await workspace.requireMember(user.id, projectId)
      const rows = await listAccessTokens(db, projectId)
      return rows.filter((r) => role === Role.Owner || r.userId === user.id).map(info)
    },
    async revoke(user, tokenId) {
      const row = await findAccessTokenById(db, tokenId)
      if (!row) throw new AppError(ErrorCode.NotFound, 'No such token')
      const role = await workspace.requireMember(user.id, row.projectId)
      if (row.userId !== user.id && role !== Role.Owner) {
        throw new AppError(ErrorCode.Forbidden, 'Only its creator or an owner may revoke a token')
      }
      await revokeAccessToken(db, tokenId)
      for (const l of listeners) l(tokenId)
      o.log.info('access token revoked', { tokenId, by: user.id })
      return info((await findAccessTokenById(db, tokenId))!)
    },
    async authenticate(token) {
      const row = await findAccessToken(db, token)
      if (!row) return null
      const current = await workspace.roleOf(row.userId, row.projectId)
      if (!current) return null
      const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, row.userId))
      if (!u) return null
      touch(row.id)
      return {
        tokenId: row.id,
        projectId: row.projectId,
        label: row.label,
        user: { id: row.userId, name: u.name },
        role: lower(row.role, current),
      }
    },
    onRevoked(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
