import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { WorkspaceMirror } from '../mirror/index'
import type { TerminalManager } from '../terminals/manager'
import type { SandboxConfig } from '../terminals/sandbox'
import { createCommitTimes } from './commit-times'
import { runGit, runSandboxed, type GitResult } from './git-process'
import {
  BRANCH_FORMAT,
  hunkPatch,
  LOG_FORMAT,
  parseBranches,
  parseFileDiff,
  parseLog,
  parseStatus,
  type Branch,
  type Commit,
  type Hunk,
  type StatusResult,
} from './parse'

/**
 * Git in a project's workspace: each operation runs real `git` in the project's sandbox (see git-process.ts) on
 * the working tree the workspace mirror keeps in step with the documents.
 *
 * Every operation, in the project's turn (one at a time per project, with terminal opens):
 * 1. the workspace is mirrored (started from the database if it was not) and document changes still waiting for
 *    their debounce are written, so git sees what the editors show;
 * 2. git runs;
 * 3. after a checkout or merge, the files git changed are read back into the documents at once, as collaborative
 *    edits made by the workspace (open editors follow; text typed meanwhile is kept, see `checkout`).
 */
export interface GitServiceOptions {
  sandbox: SandboxConfig
  /** Null when workspaces are off: every call then says so. */
  mirror: WorkspaceMirror | null
  terminals: TerminalManager
  log: Logger
  /** Who else wrote what a commit contains (the collab node's authorship). Default: nobody. */
  coAuthors?: CoAuthorSource
}

/** Who commits: name and email as stored with the account. */
export interface GitPerson {
  name: string
  email: string
}

/** The member who commits. */
export interface Committer extends GitPerson {
  id: string
}

/**
 * Who edited the commit's files (`paths`, project paths) since `since` (HEAD's commit time; undefined before
 * the first commit), other than the committer: the `Co-authored-by:` trailers. The host provides it: the
 * runner records no authorship itself.
 */
export type CoAuthorSource = (
  projectId: string,
  request: { paths: string[]; since?: Date; committerId: string },
) => Promise<GitPerson[]>

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

export type GitService = ReturnType<typeof createGitService>

export function createGitService(options: GitServiceOptions) {
  const { sandbox, terminals } = options

  /** A project's git, in its turn; `mutates` lists what to read back into the documents afterwards. */
  async function inRepo<T>(projectId: string, fn: (git: Git) => Promise<T>): Promise<T> {
    const mirror = options.mirror
    if (!mirror) throw new AppError(ErrorCode.Unavailable, 'Workspaces are off on this server, so git is too')
    await mirror.ensureWorkspace(projectId)
    try {
      return await terminals.exclusive(projectId, async (tree, uid) => {
        const project = mirror.mirrorOf(projectId)
        await project?.flush()
        return fn(new Git({ sandbox, tree, uid, readBack: (paths) => project?.readNow(paths) }))
      })
    } finally {
      mirror.releaseWorkspace(projectId)
    }
  }

  /**
   * Reads asked for while the same read of the project is already waiting or running share its answer: every
   * member's open panel polls status, log and branches, and each read takes the project's turn.
   */
  const inFlight = new Map<string, Promise<unknown>>()
  function shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const pending = inFlight.get(key) as Promise<T> | undefined
    if (pending) return pending
    const started = read().finally(() => inFlight.delete(key))
    inFlight.set(key, started)
    return started
  }

  const commitTimes = createCommitTimes()

  return {
    /** Creates an empty repository (branch `main`) in the workspace. */
    init: (projectId: string) =>
      inRepo(projectId, async (git) => {
        if ((await git.run(['rev-parse', '--git-dir'], { allow: [128] })).code === 0) {
          throw new AppError(ErrorCode.Conflict, 'This workspace already has a git repository')
        }
        await git.run(['init', '--quiet', '--initial-branch=main'])
      }),

    status: (projectId: string): Promise<StatusResult> =>
      shared(`status ${projectId}`, () => inRepo(projectId, (git) => git.status())),

    diff: (projectId: string, input: { path: string; staged: boolean }) =>
      inRepo(projectId, (git) => git.fileDiff(input.path, input.staged)),

    /**
     * The workspace's changes as `git diff` prints them: everything not committed (the working tree against HEAD;
     * against the empty tree before the first commit), or with `staged` what is staged (the index against HEAD),
     * optionally of one path; with the names of the untracked files, which no diff shows. For the AI's outside
     * agents (`git_diff`), who read patches; the IDE uses `diff` and `status`.
     */
    patch: (projectId: string, input: { path?: string; staged: boolean }): Promise<WorkspacePatch> =>
      inRepo(projectId, (git) => git.patch(input.path, input.staged)),

    /** Stages whole files (new, changed or deleted) and single hunks of the working tree's diff. */
    stage: (projectId: string, input: { paths: string[]; hunks: HunkRef[] }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        if (input.paths.length > 0) await git.run(['add', '--all', '--', ...input.paths.map(checkPath)])
        for (const hunk of input.hunks) await git.applyHunk(hunk, false)
      }),

    unstage: (projectId: string, input: { paths: string[]; hunks: HunkRef[] }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        if (input.paths.length > 0) {
          const paths = input.paths.map(checkPath)
          if (await git.hasHead()) await git.run(['reset', '--quiet', 'HEAD', '--', ...paths])
          else await git.run(['rm', '--cached', '-r', '--quiet', '--ignore-unmatch', '--', ...paths])
        }
        for (const hunk of input.hunks) await git.applyHunk(hunk, true)
      }),

    /**
     * Commits what is staged; `committer` is author and committer. Everyone else who edited a staged file since
     * HEAD's commit becomes a `Co-authored-by:` trailer (see `CoAuthorSource` and the README's rule).
     */
    commit: (projectId: string, input: { message: string; committer: Committer }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        await git.onBranch()
        const paths = await git.stagedPaths()
        if (paths.length === 0) {
          throw new AppError(ErrorCode.BadRequest, 'Nothing to commit: stage some changes first')
        }
        // What is on disk now (the mirror just wrote every document) is what the commit can contain.
        const cut = new Date()
        const coAuthors = options.coAuthors
          ? await options.coAuthors(projectId, {
              paths,
              since: commitTimes.since(projectId, await git.headCommit()),
              committerId: input.committer.id,
            })
          : []
        const trailers = coAuthors
          .filter((p) => p.email.toLowerCase() !== input.committer.email.toLowerCase())
          .flatMap((p) => ['--trailer', `Co-authored-by: ${oneLine(p.name)} <${oneLine(p.email)}>`])
        await git.run(['commit', '--quiet', '--cleanup=strip', '-F', '-', ...trailers], {
          input: input.message,
          env: identity(input.committer),
        })
        const [commit] = await git.log(1)
        commitTimes.made(projectId, commit!.hash, cut)
        return commit!
      }),

    log: (projectId: string, input: { limit: number }): Promise<Commit[]> =>
      inRepo(projectId, async (git) => {
        await git.repository()
        return (await git.hasHead()) ? git.log(input.limit) : []
      }),

    branches: (projectId: string): Promise<Branch[]> =>
      inRepo(projectId, async (git) => {
        await git.repository()
        return parseBranches(
          (await git.run(['for-each-ref', `--format=${BRANCH_FORMAT}`, 'refs/heads'])).stdout,
        )
      }),

    createBranch: (projectId: string, input: { name: string; checkout: boolean }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        const name = await git.branchName(input.name)
        if (!(await git.hasHead()))
          throw new AppError(ErrorCode.BadRequest, 'Commit once before creating a branch')
        if (await git.branchExists(name))
          throw new AppError(ErrorCode.Conflict, `Branch ${name} exists already`)
        if (input.checkout) await git.run(['switch', '--quiet', '--create', name])
        else await git.run(['branch', '--', name])
      }),

    /**
     * Switches to a branch. Git refuses when a file it must rewrite has changes that are not committed (nothing is
     * lost: commit or undo them first). The files that differ are then read back into the documents as edits made
     * at the text the workspace last wrote: whatever someone typed into such a file while the switch ran, and the
     * workspace had not written yet, is kept on top of the other branch's text (and shows as a change in status).
     */
    checkout: (projectId: string, input: { branch: string }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        const name = await git.branchName(input.branch)
        if (!(await git.branchExists(name))) throw new AppError(ErrorCode.NotFound, `No branch named ${name}`)
        await git.moving(['switch', '--quiet', '--no-guess', name])
      }),

    /** Merges a branch into the current one; a merge with conflicts is undone and the conflicting files named. */
    merge: (projectId: string, input: { branch: string; committer: GitPerson }) =>
      inRepo(projectId, async (git) => {
        await git.repository()
        await git.onBranch()
        const name = await git.branchName(input.branch)
        if (!(await git.branchExists(name))) throw new AppError(ErrorCode.NotFound, `No branch named ${name}`)
        const result = await git.moving(['merge', '--no-edit', '--quiet', name], {
          env: identity(input.committer),
          allow: [1],
        })
        if (result.code !== 0) {
          const conflicts = (await git.status()).files.filter((f) => f.conflicted).map((f) => f.path)
          await git.run(['merge', '--abort'], { allow: [128] })
          if (conflicts.length === 0) throw gitError(result)
          throw new AppError(
            ErrorCode.Conflict,
            `Merging ${name} conflicts in ${conflicts.join(', ')}; nothing was merged`,
          )
        }
      }),
  }
}

class Git {
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
    return parseStatus(r.stdout)
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
function checkPath(path: string): string {
  const parts = path.split('/')
  if (!path || path.startsWith('-') || path.startsWith('/') || parts.some((p) => p === '..' || p === '')) {
    throw new AppError(ErrorCode.BadRequest, `${JSON.stringify(path)} is no project path`)
  }
  if (parts[0] === '.git')
    throw new AppError(ErrorCode.BadRequest, 'Paths inside .git are not files of the project')
  return path
}

function clip(text: string): string {
  return text.length > MAX_DIFF_TEXT_BYTES
    ? `${text.slice(0, MAX_DIFF_TEXT_BYTES)}\n… (cut: too large to show)`
    : text
}

function oneLine(s: string): string {
  return s.replace(/[\r\n<>]/g, ' ').trim()
}

function identity(person: GitPerson): Record<string, string> {
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
