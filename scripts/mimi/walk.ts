import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { isIgnored, readIgnoreLevel, type IgnoreLevel } from '@mimiverse/server-kit'
import { filePathProblem, normalizeFilePath } from '@mimiverse/shared'

/**
 * Lists the files of a folder as git would track them: `.gitignore` files at every level apply to their own
 * folder and below, a deeper file's rule (including a `!negation`) overrides a shallower one, and `.git` is
 * always skipped. As in git, nothing inside an ignored folder is looked at. Symbolic links are never followed
 * (one could point outside the folder).
 */
export interface LocalFile {
  /** Project path: relative, `/`-separated, NFC-normalized as the server stores it. */
  path: string
  absPath: string
  size: number
}

export interface Skipped {
  path: string
  reason: string
}

export interface WalkResult {
  files: LocalFile[]
  skipped: Skipped[]
}

/**
 * Why a local file can't be imported under its name, or null. Besides the server's rule: a name the file system
 * could not decode as UTF-8 (Node shows the bad bytes as U+FFFD, so the file would be imported under a name
 * that is not its own), and a second spelling of a name already taken (`ü` composed and decomposed).
 */
function localPathProblem(path: string, seen: ReadonlyMap<string, string>): string | null {
  if (path.includes('\uFFFD')) return 'name is not valid UTF-8'
  const problem = filePathProblem(path)
  if (problem) return problem
  const twin = seen.get(normalizeFilePath(path))
  return twin === undefined ? null : `same name as "${twin}" once Unicode-normalized (NFC)`
}

/** Walks `root` and returns the files to import (sorted by path) and what was left out, with reasons. */
export async function walk(root: string): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [] }
  /** Project path -> the local name it came from. */
  const seen = new Map<string, string>()
  const visit = async (absDir: string, base: string, inherited: IgnoreLevel[]) => {
    const own = await readIgnoreLevel(absDir, base)
    const levels = own ? [...inherited, own] : inherited
    const entries = await readdir(absDir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (entry.name === '.git') continue
      const path = base === '' ? entry.name : `${base}/${entry.name}`
      const absPath = join(absDir, entry.name)
      if (isIgnored(levels, entry.isDirectory() ? `${path}/` : path)) continue
      if (entry.isSymbolicLink()) result.skipped.push({ path, reason: 'symbolic link (not followed)' })
      else if (entry.isDirectory()) await visit(absPath, path, levels)
      else if (!entry.isFile()) result.skipped.push({ path, reason: 'not a regular file' })
      else {
        const problem = localPathProblem(path, seen)
        if (problem) result.skipped.push({ path, reason: problem })
        else {
          seen.set(normalizeFilePath(path), path)
          result.files.push({ path: normalizeFilePath(path), absPath, size: (await lstat(absPath)).size })
        }
      }
    }
  }
  await visit(root, '', [])
  return result
}
