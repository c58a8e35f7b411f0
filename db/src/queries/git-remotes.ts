import { eq } from 'drizzle-orm'
import type { Db } from '../client'
import { gitRemotes } from '../schema/git-remotes'

export type GitRemoteRow = typeof gitRemotes.$inferSelect

/** The project's remote, or null when none is set. */
export async function findGitRemote(db: Db, projectId: string): Promise<GitRemoteRow | null> {
  const [row] = await db.select().from(gitRemotes).where(eq(gitRemotes.projectId, projectId))
  return row ?? null
}

/** Sets (or replaces) the project's remote; `secret` is already encrypted. */
export async function saveGitRemote(
  db: Db,
  remote: {
    projectId: string
    url: string
    username: string | null
    secret: string | null
    updatedBy: string
  },
): Promise<void> {
  const values = { ...remote, updatedAt: new Date() }
  await db.insert(gitRemotes).values(values).onConflictDoUpdate({ target: gitRemotes.projectId, set: values })
}

export async function deleteGitRemote(db: Db, projectId: string): Promise<void> {
  await db.delete(gitRemotes).where(eq(gitRemotes.projectId, projectId))
}
