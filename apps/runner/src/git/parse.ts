/**
 * Parsers of git's machine-readable output: `status --porcelain=v2 -z --branch`, `log` with our own separators,
 * `for-each-ref`, and unified diffs split into hunks (for staging one hunk with `git apply --cached`).
 */

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typechange' | 'untracked'

export interface FileStatus {
  path: string
  /** The path before a rename or copy (staged). */
  from?: string
  /** The change in the index against HEAD, or null. */
  staged: ChangeKind | null
  /** The change in the working tree against the index, or null. */
  unstaged: ChangeKind | null
  /** An unmerged path (a conflict on merge or pull). */
  conflicted: boolean
}

export interface StatusResult {
  /** The current branch, or null when HEAD is detached. */
  branch: string | null
  /** The commit HEAD points at, or null before the first commit. */
  head: string | null
  upstream: string | null
  ahead: number
  behind: number
  files: FileStatus[]
  /**
   * A merge is under way (a pull that stopped at conflicts): once the conflicted files are fixed and staged,
   * `git.commit` completes it as a merge commit. Not in git's porcelain output: set by the caller.
   */
  merging: boolean
}

const KINDS: Record<string, ChangeKind> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'typechange',
}
const kindOf = (code: string | undefined): ChangeKind | null => (code ? (KINDS[code] ?? null) : null)

/** Parses `git status --porcelain=v2 -z --branch --untracked-files=all`. */
export function parseStatus(output: string): StatusResult {
  const result: StatusResult = {
    branch: null,
    head: null,
    upstream: null,
    ahead: 0,
    behind: 0,
    files: [],
    merging: false,
  }
  const entries = output.split('\0')
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    if (entry.startsWith('# ')) {
      const [key, ...rest] = entry.slice(2).split(' ')
      const value = rest.join(' ')
      if (key === 'branch.oid') result.head = value === '(initial)' ? null : value
      else if (key === 'branch.head') result.branch = value === '(detached)' ? null : value
      else if (key === 'branch.upstream') result.upstream = value
      else if (key === 'branch.ab') {
        const [ahead, behind] = rest
        result.ahead = Number(ahead?.slice(1) ?? 0)
        result.behind = Number(behind?.slice(1) ?? 0)
      }
      continue
    }
    const type = entry[0]
    if (type === '?') {
      result.files.push({ path: entry.slice(2), staged: null, unstaged: 'untracked', conflicted: false })
    } else if (type === '1' || type === '2') {
      // "1 XY sub mH mI mW hH hI path" / "2 XY sub mH mI mW hH hI Xscore path" then NUL and the original path.
      const fields = entry.split(' ')
      const xy = fields[1] ?? '..'
      const path = fields.slice(type === '1' ? 8 : 9).join(' ')
      const file: FileStatus = { path, staged: kindOf(xy[0]), unstaged: kindOf(xy[1]), conflicted: false }
      if (type === '2') file.from = entries[++i]
      result.files.push(file)
    } else if (type === 'u') {
      const path = entry.split(' ').slice(10).join(' ')
      result.files.push({ path, staged: null, unstaged: 'modified', conflicted: true })
    }
  }
  return result
}

export interface Commit {
  hash: string
  parents: string[]
  author: { name: string; email: string }
  committer: { name: string; email: string }
  /** ISO 8601, the author date. */
  date: string
  subject: string
  body: string
  /** `Co-authored-by:` trailers, as written ("Name <email>"). */
  coAuthors: string[]
}

const FIELD = '\x1f'
const RECORD = '\x1e'
const TRAILER = '\x1d'

/** The `--format` that `parseLog` reads. */
export const LOG_FORMAT =
  `${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%cn${FIELD}%ce${FIELD}%aI${FIELD}%s${FIELD}%b${FIELD}` +
  `%(trailers:key=Co-authored-by,valueonly,separator=%x1d)`

export function parseLog(output: string): Commit[] {
  return output
    .split(RECORD)
    .slice(1)
    .map((record) => {
      const [
        hash = '',
        parents = '',
        an = '',
        ae = '',
        cn = '',
        ce = '',
        date = '',
        subject = '',
        body = '',
        co = '',
      ] = record.split(FIELD)
      return {
        hash,
        parents: parents.split(' ').filter(Boolean),
        author: { name: an, email: ae },
        committer: { name: cn, email: ce },
        date,
        subject,
        body: body.trim(),
        coAuthors: co
          .trim()
          .split(TRAILER)
          .map((s) => s.trim())
          .filter(Boolean),
      }
    })
}

export interface Branch {
  name: string
  head: string
  current: boolean
  upstream: string | null
}

/** The `--format` of `for-each-ref refs/heads` that `parseBranches` reads. */
export const BRANCH_FORMAT = `%(refname:short)${FIELD}%(objectname)${FIELD}%(HEAD)${FIELD}%(upstream:short)`

export function parseBranches(output: string): Branch[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', head = '', current = '', upstream = ''] = line.split(FIELD)
      return { name, head, current: current === '*', upstream: upstream || null }
    })
}

export interface Hunk {
  /** `@@ -a,b +c,d @@`: names the hunk in `git.stage` / `git.unstage` (unique within a file's diff). */
  header: string
  /** The hunk as in the diff, header line included. */
  text: string
}

export interface FileDiff {
  /** The lines before the first hunk (`diff --git`, index, `---`, `+++`): what `git apply` needs with a hunk. */
  preamble: string
  hunks: Hunk[]
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/

/** Splits a one-file unified diff (`git diff -- <path>`) into its preamble and hunks. */
export function parseFileDiff(diff: string): FileDiff {
  const lines = diff.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const preamble: string[] = []
  const hunks: { header: string; lines: string[] }[] = []
  for (const line of lines) {
    const header = HUNK_HEADER.exec(line)?.[0]
    if (header) hunks.push({ header, lines: [line] })
    else if (hunks.length > 0) hunks[hunks.length - 1]!.lines.push(line)
    else preamble.push(line)
  }
  return {
    preamble: preamble.length > 0 ? `${preamble.join('\n')}\n` : '',
    hunks: hunks.map((h) => ({ header: h.header, text: `${h.lines.join('\n')}\n` })),
  }
}

/** A patch of exactly one hunk of a file's diff, for `git apply --cached`. */
export function hunkPatch(diff: FileDiff, header: string): string | null {
  const hunk = diff.hunks.find((h) => h.header === header)
  return hunk ? diff.preamble + hunk.text : null
}
