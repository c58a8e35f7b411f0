import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import ignore, { type Ignore } from 'ignore'

/**
 * `.gitignore` rules as git applies them: each file's rules apply to its own folder and below, and a deeper
 * file's verdict (including a `!negation`) overrides a shallower one. Used by the `mimi` CLI's import and by the
 * workspace mirror, so both leave out the same files.
 */
export interface IgnoreLevel {
  /** Folder of the `.gitignore`, relative to the root ('' for the root itself). */
  base: string
  rules: Ignore
}

/** The rules of one `.gitignore` whose folder is `base`. */
export function ignoreLevel(base: string, text: string): IgnoreLevel {
  // Git matches case-sensitively unless core.ignoreCase is set; `ignore` defaults to the opposite.
  return { base, rules: ignore({ ignorecase: false }).add(text) }
}

/** Whether `path` (a folder when it ends with `/`) is ignored: the deepest `.gitignore` with a verdict wins. */
export function isIgnored(levels: readonly IgnoreLevel[], path: string): boolean {
  let ignored = false
  for (const { base, rules } of levels) {
    const relative = base === '' ? path : path.slice(base.length + 1)
    const verdict = rules.test(relative)
    if (verdict.ignored) ignored = true
    else if (verdict.unignored) ignored = false
  }
  return ignored
}

/** The `.gitignore` of the folder `absDir` (project path `base`), or `null` when it has none. */
export async function readIgnoreLevel(absDir: string, base: string): Promise<IgnoreLevel | null> {
  let text: string
  try {
    text = await readFile(join(absDir, '.gitignore'), 'utf8')
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  return ignoreLevel(base, text)
}
