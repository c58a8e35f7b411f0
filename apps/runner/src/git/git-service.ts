import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { createCommitTimes } from './commit-times'
import { BRANCH_FORMAT, parseBranches, type Branch, type Commit, type StatusResult } from './parse'
import {
  checkPath,
  createRepoTurns,
  gitError,
  identity,
  oneLine,
  type FileDiffResult,
  type GitPerson,
  type HunkRef,
  type RepoTurnOptions,
  type WorkspacePatch,
} from './repo'

export type { FileDiffResult, GitPerson, HunkRef, WorkspacePatch }

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
export interface GitServiceOptions extends RepoTurnOptions {
  log: Logger
  /** Who else wrote what a commit contains (the collab node's authorship). Default: nobody. */
  coAuthors?: CoAuthorSource
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

export type GitService = ReturnType<typeof createGitService>

export function createGitService(options: GitServiceOptions) {
  const inRepo = createRepoTurns(options)

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
