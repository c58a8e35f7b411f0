import { ignoreLevel, isIgnored, type IgnoreLevel } from '@mimiverse/server-kit'
import { TEMP_FILE } from './workspace-disk'

/** Never documents, whatever `.gitignore` says: git's own folder, dependencies, our temporary files. */
const ALWAYS_IGNORED = new Set(['.git', 'node_modules'])

/**
 * What stays on disk only: what the tree's `.gitignore` files exclude (as git reads them: each applies to its
 * folder and below, deeper ones win, nothing inside an ignored folder counts), plus `.git`, `node_modules` and
 * the mirror's temporary files. Rules are replaced whenever a `.gitignore` changes.
 */
export class IgnoreRules {
  private readonly levels = new Map<string, IgnoreLevel>()

  /** Sets (or, with `null`, drops) the rules of the `.gitignore` in `folder` ('' for the root). */
  set(folder: string, text: string | null): void {
    if (text === null) this.levels.delete(folder)
    else this.levels.set(folder, ignoreLevel(folder, text))
  }

  /** Whether `path` (a file, or a folder when `folder`) stays on disk only. */
  ignored(path: string, folder = false): boolean {
    const parts = path.split('/')
    if (parts.some((p) => ALWAYS_IGNORED.has(p)) || TEMP_FILE.test(parts[parts.length - 1]!)) return true
    const applicable: IgnoreLevel[] = []
    const root = this.levels.get('')
    if (root) applicable.push(root)
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/')
      const last = i === parts.length
      if (isIgnored(applicable, last && !folder ? prefix : `${prefix}/`)) return true
      const level = this.levels.get(prefix)
      if (!last && level) applicable.push(level)
    }
    return false
  }
}

/** The folder a `.gitignore` path applies to, or null when `path` is not a `.gitignore`. */
export function gitignoreFolder(path: string): string | null {
  if (path === '.gitignore') return ''
  return path.endsWith('/.gitignore') ? path.slice(0, -'/.gitignore'.length) : null
}
