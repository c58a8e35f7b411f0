import { chown, lchown, lstat, mkdir, opendir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Sandboxed commands run as the project's own host uid (see `sandboxUid`), so they can write only what that
 * uid owns. Files the server writes as root (the workspace mirror) are handed over before a terminal starts.
 * Ownership, not a shared mode, keeps the project's tree out of reach of every other uid on the host.
 */

/** Entries visited at most per hand-over: a tree larger than this is handed over in part (and logged). */
export const MAX_OWNED_ENTRIES = 200_000

/**
 * Creates `<workspaces>/<projectId>` when missing (both mode 0700) and gives the tree to `uid`: every entry
 * owned by someone else is re-owned (symlinks themselves, never their targets). Returns how many entries were
 * visited and whether the walk stopped at `MAX_OWNED_ENTRIES`.
 */
export async function prepareWorkspace(
  workspaces: string,
  projectId: string,
  uid: number,
): Promise<{ tree: string; visited: number; truncated: boolean }> {
  await mkdir(workspaces, { recursive: true, mode: 0o700 })
  const tree = join(workspaces, projectId)
  await mkdir(tree, { recursive: true, mode: 0o700 })
  const stat = await lstat(tree)
  if (stat.uid !== uid || stat.gid !== uid) await chown(tree, uid, uid)
  let visited = 1
  const pending = [tree]
  while (pending.length > 0 && visited < MAX_OWNED_ENTRIES) {
    const dir = pending.pop()!
    for await (const entry of await opendir(dir)) {
      if (++visited > MAX_OWNED_ENTRIES) break
      const path = join(dir, entry.name)
      const s = await lstat(path).catch(() => undefined)
      if (!s) continue
      if (s.uid !== uid || s.gid !== uid) await lchown(path, uid, uid).catch(() => undefined)
      if (s.isDirectory()) pending.push(path)
    }
  }
  return { tree, visited, truncated: visited >= MAX_OWNED_ENTRIES }
}
