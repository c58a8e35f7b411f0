import { chown, lchown, lstat, mkdir, opendir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Sandboxed commands run as the project's own host uid (see `sandboxUid`), so they can write only what that
 * uid owns. Files the server writes as root (the workspace mirror) are handed over before a terminal starts.
 * Ownership, not a shared mode, keeps the project's tree out of reach of every other uid on the host.
 *
 * The walk must never run while a command of the project runs: the walk checks an entry with `lstat`, then
 * opens it by path, and a command swapping a checked folder for a symbolic link in between would have root
 * hand it files outside the tree. The caller hands over only when none of the project's terminals runs (the
 * sandboxes die with their terminals), so the tree holds still.
 */

/** Entries visited at most per hand-over: a tree larger than this is handed over in part (and logged). */
export const MAX_OWNED_ENTRIES = 200_000

/**
 * Creates `<workspaces>/<projectId>` when missing (both mode 0700) and gives the tree to `uid`: every entry
 * owned by someone else is re-owned (symlinks themselves, never their targets). Returns how many entries were
 * visited and whether the walk stopped at `MAX_OWNED_ENTRIES`.
 */
export async function prepareWorkspace(options: {
  workspaces: string
  projectId: string
  uid: number
  /** Re-own the whole tree; only when no command of the project runs (see above). */
  handOver: boolean
  /** Leave the top `.git` folder out of the walk when it is the uid's already (git writes it as the uid). */
  skipGit?: boolean
}): Promise<{ tree: string; visited: number; truncated: boolean }> {
  const { workspaces, projectId, uid } = options
  await mkdir(workspaces, { recursive: true, mode: 0o700 })
  const tree = join(workspaces, projectId)
  await mkdir(tree, { recursive: true, mode: 0o700 })
  const stat = await lstat(tree)
  if (stat.isSymbolicLink()) throw new Error(`the working tree ${tree} is a symbolic link`)
  if (stat.uid !== uid || stat.gid !== uid) await chown(tree, uid, uid)
  if (!options.handOver) return { tree, visited: 1, truncated: false }
  let visited = 1
  const pending = [tree]
  while (pending.length > 0 && visited < MAX_OWNED_ENTRIES) {
    const dir = pending.pop()!
    for await (const entry of await opendir(dir)) {
      if (++visited > MAX_OWNED_ENTRIES) break
      const path = join(dir, entry.name)
      const s = await lstat(path).catch(() => undefined)
      if (!s) continue
      const owned = s.uid === uid && s.gid === uid
      if (!owned) await lchown(path, uid, uid).catch(() => undefined)
      if (!s.isDirectory()) continue
      if (options.skipGit && owned && dir === tree && entry.name === '.git') continue
      pending.push(path)
    }
  }
  return { tree, visited, truncated: visited >= MAX_OWNED_ENTRIES }
}
