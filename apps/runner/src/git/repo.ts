import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { WorkspaceMirror } from '../mirror/index'
import type { TerminalManager } from '../terminals/manager'
import type { SandboxConfig } from '../terminals/sandbox'
import { runGit, runSandboxed, type GitProcessOptions, type GitResult } from './git-process'
import {
  hunkPatch,
  LOG_FORMAT,
  parseFileDiff,
  parseLog,
  parseStatus,
  type Commit,
  type Hunk,
  type StatusResult,
} from './parse'

/**
 * One project's repository during its turn (see `inRepo` in git-service.ts): git commands on its working tree in
 * its sandbox, the reads the git operations share, and the plain-words errors.
 */

export interface RepoTurnOptions {
  sandbox: SandboxConfig
  /** Null when workspaces are off: every call then says so. */
  mirror: WorkspaceMirror | null
  terminals: TerminalManager
}

/**
 * Runs `fn` on a project's repository in the project's turn (one at a time per project, with terminal opens):
 * the workspace is mirrored (built from the database if it was not) and pending document changes are written
 * first, so git sees what the editors show.
 */
export function createRepoTurns(options: RepoTurnOptions) {
  return async function inRepo<T>(projectId: string, fn: (git: Git) => Promise<T>): Promise<T> {
    const mirror = options.mirror
    if (!mirror) throw new AppError(ErrorCode.Unavailable, 'Workspaces are off on this server, so git is too')
    await mirror.ensureWorkspace(projectId)
    try {
      return await options.terminals.exclusive(projectId, async (tree, uid) => {
        const project = mirror.mirrorOf(projectId)
        await project?.flush()
        const readBack = (paths: string[]) => project?.readNow(paths)
        return fn(new Git({ sandbox: options.sandbox, tree, uid, readBack }))
      })
    } finally {
      mirror.releaseWorkspace(projectId)
    }
  }
}
export type RepoTurns = ReturnType<typeof createRepoTurns>

/** Who commits: name and email as stored with the account. */
export interface GitPerson {
  name: string
  email: string
}

export interface FileDiffResult {
  path: string
  staged: boolean
  /** The text before: the index's (unstaged) or HEAD's (staged); '' when the file is new. */
  original: string
  /** The text after: the working tree's (unstaged) or the index's (staged); '' when deleted. */
  modified: string
  binary: boolean
  hunks: Hunk[]
}

export interface HunkRef {
  path: string
  /** The hunk's `@@ -a,b +c,d @@` line as `git.diff` returned it. */
  header: string
}

/** The workspace's changes as a patch (`patch`). */
export interface WorkspacePatch {
  /** Unified diff text, cut (and saying so) past 2 MiB. */
  diff: string
  /** Untracked files (not ignored), the first `MAX_UNTRACKED`; `untrackedCount` says how many there are. */
  untracked: string[]
  untrackedCount: number
}

/** Git's empty tree: what a repository without commits is compared with. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
/** Most untracked paths listed by `patch`. */
const MAX_UNTRACKED = 500

/** Most bytes of one side of a diff returned to the client. */
const MAX_DIFF_TEXT_BYTES = 2 * 1024 * 1024
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[\w.\-/]{1,200}(?<![./]|\.lock)$/

export class Git {
  constructor(
    private readonly o: {
      sandbox: SandboxConfig
      tree: string
      uid: number
      readBack: (paths: string[]) => Promise<void> | undefined
    },
  ) {}

  /** Runs git; a non-zero exit code not in `allow` becomes an AppError with git's own explanation. */
  async run(
    args: string[],
    options: { input?: string; env?: Record<string, string>; allow?: number[] } = {},
  ): Promise<GitResult> {
    const result = await runGit(args, { ...this.o, input: options.input, env: options.env })
    if (result.code !== 0 && !options.allow?.includes(result.code)) throw gitError(result)
    return result
  }

  /**
   * Runs git with more of the process's options (a remote's credentials, progress, a longer timeout), in a
   * sandbox that shares the host's network when `network` is set; the exit code is returned, not thrown.
   */
  runWith(
    args: string[],
    extra: Omit<GitProcessOptions, 'sandbox' | 'tree' | 'uid'> & { network?: boolean },
  ): Promise<GitResult> {
    const sandbox = extra.network ? { ...this.o.sandbox, network: true } : this.o.sandbox
    return runGit(args, { ...this.o, ...extra, sandbox })
  }

  /** Reads files git changed back into the documents now (as the workspace's edits). */
  async readBack(paths: string[]): Promise<void> {
    if (paths.length > 0) await this.o.readBack(paths)
  }

  /**
   * Whether a merge is under way (`.git/MERGE_HEAD`), looked up on the host without following links: a `.git`
   * that is not a plain folder (a link the project made) counts as no merge rather than a path to follow.
   */
  async merging(): Promise<boolean> {
    const dir = join(this.o.tree, '.git')
    const stat = await lstat(dir).catch(() => null)
    if (!stat?.isDirectory()) return false
    return (await lstat(join(dir, 'MERGE_HEAD')).catch(() => null))?.isFile() ?? false
  }

  /**
   * Writes `bytes` to `.git/<name>`, as the project's user in its sandbox: the server never writes into a tree
   * whose folders the project's own processes may have swapped for links.
   */
  async writeGitFile(name: string, bytes: Uint8Array): Promise<void> {
    const r = await runSandboxed(['/bin/sh', '-c', 'cat > ".git/$0"', name], { ...this.o, bytes })
    if (r.code !== 0) throw gitError(r)
  }

  /** Removes `.git/<name>` if it is there, in the sandbox. */
  async removeGitFile(name: string): Promise<void> {
    await runSandboxed(['/bin/rm', '-f', '--', `.git/${name}`], this.o)
  }

  /** Removes `.git` (a clone that failed half-way), in the sandbox. */
  async removeRepository(): Promise<void> {
    await runSandboxed(['/bin/rm', '-rf', '--', '.git'], this.o)
  }

  async repository(): Promise<void> {
    await this.run(['rev-parse', '--git-dir'])
  }

  async hasHead(): Promise<boolean> {
    return (await this.run(['rev-parse', '--verify', '--quiet', 'HEAD'], { allow: [1] })).code === 0
  }

  async head(): Promise<string | null> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', 'HEAD'], { allow: [1] })
    return r.code === 0 ? r.stdout.trim() : null
  }

  /** HEAD's commit and its committer time (git keeps seconds); undefined before the first commit. */
  async headCommit(): Promise<{ hash: string; time: Date } | undefined> {
    const r = await this.run(['log', '-1', '--format=%H %ct'], { allow: [128] })
    const [hash, seconds] = r.stdout.trim().split(' ')
    return r.code === 0 && hash && Number(seconds) > 0
      ? { hash, time: new Date(Number(seconds) * 1000) }
      : undefined
  }

  /** The paths whose index differs from HEAD (all of the index before the first commit), both sides of a rename. */
  async stagedPaths(): Promise<string[]> {
    const r = await this.run(['diff', '--cached', '--name-only', '--no-renames', '-z'])
    return r.stdout.split('\0').filter(Boolean)
  }

  async onBranch(): Promise<void> {
    if ((await this.run(['symbolic-ref', '--quiet', 'HEAD'], { allow: [1] })).code !== 0) {
      throw new AppError(ErrorCode.Conflict, 'HEAD is detached: switch to a branch or create one first')
    }
  }

  async branchName(name: string): Promise<string> {
    if (!BRANCH_NAME.test(name))
      throw new AppError(ErrorCode.BadRequest, `${JSON.stringify(name)} is no branch name`)
    const r = await this.run(['check-ref-format', '--branch', name], { allow: [1, 128] })
    if (r.code !== 0) throw new AppError(ErrorCode.BadRequest, `${JSON.stringify(name)} is no branch name`)
    return name
  }

  async branchExists(name: string): Promise<boolean> {
    return (
      (await this.run(['show-ref', '--verify', '--quiet', `refs/heads/${name}`], { allow: [1] })).code === 0
    )
  }

  async status(): Promise<StatusResult> {
    const r = await this.run(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all'])
    return { ...parseStatus(r.stdout), merging: await this.merging() }
  }

  async log(limit: number): Promise<Commit[]> {
    return parseLog((await this.run(['log', `--max-count=${limit}`, `--format=${LOG_FORMAT}`])).stdout)
  }

  /** A command that moves HEAD (switch, merge): the files that changed come back into the documents. */
  async moving(args: string[], options: { env?: Record<string, string>; allow?: number[] } = {}) {
    const before = await this.head()
    const result = await this.run(args, options)
    const after = await this.head()
    if (after && after !== before) {
      const changed = before
        ? await this.run(['diff', '--name-only', '-z', '--no-renames', before, after])
        : await this.run(['ls-tree', '-r', '-z', '--name-only', after])
      await this.o.readBack(changed.stdout.split('\0').filter(Boolean))
    }
    return result
  }

  async fileDiff(path: string, staged: boolean): Promise<FileDiffResult> {
    checkPath(path)
    await this.repository()
    const hasHead = await this.hasHead()
    const base = staged ? (hasHead ? `HEAD:${path}` : null) : `:${path}`
    const original = base ? await this.show(base) : ''
    const modified = staged ? await this.show(`:${path}`) : await this.worktree(path)
    const diffArgs =
      staged && !hasHead ? ['diff', '--cached'] : staged ? ['diff', '--cached', 'HEAD'] : ['diff']
    const diff = await this.run([...diffArgs, '--no-color', '--no-ext-diff', '--', path])
    const binary = /^Binary files /m.test(diff.stdout)
    return {
      path,
      staged,
      original: binary ? '' : original,
      modified: binary ? '' : modified,
      binary,
      hunks: binary ? [] : parseFileDiff(diff.stdout).hunks,
    }
  }

  async patch(path: string | undefined, staged: boolean): Promise<WorkspacePatch> {
    const paths = path === undefined ? [] : ['--', checkPath(path)]
    await this.repository()
    const base = (await this.hasHead()) ? 'HEAD' : EMPTY_TREE
    const args = staged ? ['diff', '--cached', base] : ['diff', base]
    const diff = await this.run([...args, '--no-color', '--no-ext-diff', ...paths])
    const others = await this.run(['ls-files', '-z', '--others', '--exclude-standard', ...paths])
    const untracked = others.stdout.split('\0').filter(Boolean)
    return {
      diff: clip(diff.stdout),
      untracked: untracked.slice(0, MAX_UNTRACKED),
      untrackedCount: untracked.length,
    }
  }

  /** Applies exactly one hunk of the file's current diff to the index (or takes it back out: `reverse`). */
  async applyHunk(ref: HunkRef, reverse: boolean): Promise<void> {
    const path = checkPath(ref.path)
    const args = reverse ? ['diff', '--cached'] : ['diff']
    const diff = await this.run([...args, '--no-color', '--no-ext-diff', '--', path])
    const patch = hunkPatch(parseFileDiff(diff.stdout), ref.header)
    if (!patch) {
      throw new AppError(ErrorCode.Conflict, `${path} changed: its diff has no hunk ${ref.header} any more`)
    }
    await this.run(['apply', '--cached', ...(reverse ? ['--reverse'] : []), '-'], { input: patch })
  }

  /** A blob's text (`HEAD:path`, `:path`), '' when it does not exist. */
  private async show(spec: string): Promise<string> {
    const r = await this.run(['cat-file', '-p', spec], { allow: [128] })
    return r.code === 0 ? clip(r.stdout) : ''
  }

  /** The working tree's text of a file, read in the sandbox (what the project's commands may read, no more). */
  private async worktree(path: string): Promise<string> {
    const r = await runSandboxed(['/bin/cat', '--', path], this.o)
    return r.code === 0 ? clip(r.stdout) : ''
  }
}

/** A project path as git takes it: relative, no `..`, no option look-alike. */
export function checkPath(path: string): string {
  const parts = path.split('/')
  if (!path || path.startsWith('-') || path.startsWith('/') || parts.some((p) => p === '..' || p === '')) {
    throw new AppError(ErrorCode.BadRequest, `${JSON.stringify(path)} is no project path`)
  }
  if (parts[0] === '.git')
    throw new AppError(ErrorCode.BadRequest, 'Paths inside .git are not files of the project')
  return path
}

export function clip(text: string): string {
  return text.length > MAX_DIFF_TEXT_BYTES
    ? `${text.slice(0, MAX_DIFF_TEXT_BYTES)}\n… (cut: too large to show)`
    : text
}

export function oneLine(s: string): string {
  return s.replace(/[\r\n<>]/g, ' ').trim()
}

export function identity(person: GitPerson): Record<string, string> {
  const name = oneLine(person.name) || 'Mimiverse user'
  const email = oneLine(person.email)
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  }
}

/** What the user is told when git said no: git's own first lines, with the common cases put plainly. */
export function gitError(result: GitResult): AppError {
  const text = result.stderr.trim() || result.stdout.trim()
  if (/not a git repository/i.test(text)) {
    return new AppError(
      ErrorCode.NotFound,
      'This workspace has no git repository: initialize one, or import a folder with its .git',
    )
  }
  if (/would be overwritten by (checkout|merge)/i.test(text)) {
    const files = text
      .split('\n')
      .filter((l) => /^\s/.test(l))
      .map((l) => l.trim())
    return new AppError(
      ErrorCode.Conflict,
      `Uncommitted changes to ${files.join(', ') || 'some files'} would be overwritten: commit or undo them first`,
    )
  }
  if (/patch does not apply|corrupt patch/i.test(text)) {
    return new AppError(
      ErrorCode.Conflict,
      'That hunk no longer applies: the file changed; look at its diff again',
    )
  }
  const lines = text.split('\n').slice(0, 6).join('\n')
  return new AppError(ErrorCode.BadRequest, `git: ${lines || `exited with code ${result.code}`}`)
}
