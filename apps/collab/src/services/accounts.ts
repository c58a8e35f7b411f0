import { eq } from 'drizzle-orm'
import { findSessionUser, hashToken, type Db } from '@mimiverse/db'
import { sessions, users } from '@mimiverse/db/schema'
import type { AccessChanges } from '@mimiverse/server-kit'
import { AppError, ErrorCode } from '@mimiverse/shared'
import { hashPassword, verifyPassword } from './passwords'
import { newSecretToken } from './secrets'

export interface PublicUser {
  id: string
  email: string
  name: string
}

export interface AccountService {
  signUp(input: {
    email: string
    password: string
    name: string
  }): Promise<{ user: PublicUser; token: string }>
  signIn(input: { email: string; password: string }): Promise<{ user: PublicUser; token: string }>
  /** Ends the session, and announces it so services that cache sessions forget it (`AccessChanges`). */
  signOut(token: string): Promise<void>
  /** The user a session token belongs to, or `null` for an unknown or expired token. */
  userForToken(token: string): Promise<PublicUser | null>
}

const publicColumns = { id: users.id, email: users.email, name: users.name }

export function createAccountService(
  db: Db,
  sessionTtlDays: number,
  accessChanges: AccessChanges,
): AccountService {
  const startSession = async (userId: string) => {
    const token = newSecretToken()
    const expiresAt = new Date(Date.now() + sessionTtlDays * 86_400_000)
    await db.insert(sessions).values({ tokenHash: hashToken(token), userId, expiresAt })
    return token
  }
  return {
    async signUp({ email, password, name }) {
      const passwordHash = await hashPassword(password)
      const [user] = await db
        .insert(users)
        .values({ email, name, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning(publicColumns)
      if (!user) throw new AppError(ErrorCode.Conflict, 'An account with this email already exists')
      return { user, token: await startSession(user.id) }
    },
    async signIn({ email, password }) {
      const [row] = await db.select().from(users).where(eq(users.email, email))
      if (!(await verifyPassword(row?.passwordHash, password)) || !row) {
        throw new AppError(ErrorCode.Unauthorized, 'Wrong email or password')
      }
      return { user: { id: row.id, email: row.email, name: row.name }, token: await startSession(row.id) }
    },
    async signOut(token) {
      const tokenHash = hashToken(token)
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash))
      await accessChanges.publish({ kind: 'session', tokenHash })
    },
    userForToken: (token) => findSessionUser(db, token),
  }
}
