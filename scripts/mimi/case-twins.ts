import { filePathCaseKey } from '@mimiverse/shared'

/**
 * Names (files and the folders they lie in) already taken in a project, to spot a new path that differs from
 * one of them only in case: the server refuses those (macOS and Windows would merge the two), so the CLI skips
 * them up front with the same reason instead of failing on each.
 */
export interface CaseTwins {
  /** Takes `path` and its folders. */
  add(path: string): void
  /** The first name on `path` that is taken in another case, with the taken spelling; or null. */
  twinOf(path: string): { name: string; existing: string } | null
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`. */
const names = (path: string) => {
  const parts = path.split('/')
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'))
}

export function createCaseTwins(paths: Iterable<string> = []): CaseTwins {
  const taken = new Map<string, string>()
  const add = (path: string) => {
    for (const name of names(path))
      if (!taken.has(filePathCaseKey(name))) taken.set(filePathCaseKey(name), name)
  }
  for (const path of paths) add(path)
  return {
    add,
    twinOf(path) {
      for (const name of names(path)) {
        const existing = taken.get(filePathCaseKey(name))
        if (existing !== undefined && existing !== name) return { name, existing }
      }
      return null
    },
  }
}
