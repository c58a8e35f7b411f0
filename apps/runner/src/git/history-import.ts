import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Git, RepoTurns } from './repo'

export interface ImportedHistory {
  branch: string
  commits: number
  message: string
}

/** Where the uploaded bundle is put for git in the sandbox: inside `.git`, which the mirror never reads. */
const BUNDLE_NAME = 'mimi-import.bundle'
const BUNDLE = `.git/${BUNDLE_NAME}`
/** A large history takes a while to check and index. */
const FETCH_TIMEOUT_MS = 10 * 60_000

/**
 * Gives a workspace without a repository the history of the folder `mimi import` read: its branches and tags from
 * a git bundle (`git bundle create --all`), HEAD on the branch that folder had checked out. Only the index is set
 * (to that branch's commit); the working tree stays the project's documents, so changes the folder had not
 * committed show as changes. Binary files, which are no documents and so were not imported, are checked out
 * from the commit, so they do not show as deleted. Objects are checked (`transfer.fsckObjects`) in the sandbox.
 */
export function createHistoryImport(inRepo: RepoTurns) {
  return function importHistory(
    projectId: string,
    bundle: Uint8Array,
    wanted: string | null,
  ): Promise<ImportedHistory> {
    return inRepo(projectId, async (git) => {
      if ((await git.run(['rev-parse', '--git-dir'], { allow: [128] })).code === 0) {
        throw new AppError(
          ErrorCode.Conflict,
          'This workspace already has a git repository; history can only be imported into one without',
        )
      }
      await git.run(['init', '--quiet', '--initial-branch=main'])
      try {
        await git.writeGitFile(BUNDLE_NAME, bundle)
        const heads = await git.run(['bundle', 'list-heads', BUNDLE], { allow: [1, 128] })
        if (heads.code !== 0) throw new AppError(ErrorCode.BadRequest, 'This is not a git bundle')
        const branches = heads.stdout
          .split('\n')
          .map((line) => /^[0-9a-f]{40,64} refs\/heads\/(.+)$/.exec(line)?.[1])
          .filter((b): b is string => b !== undefined)
        const branch =
          wanted && branches.includes(wanted) ? wanted : branches.includes('main') ? 'main' : branches[0]
        if (!branch) throw new AppError(ErrorCode.BadRequest, 'The bundle holds no branch')
        await git.run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`])
        const fetched = await git.runWith(
          [
            '-c',
            'transfer.fsckObjects=true',
            'fetch',
            '--quiet',
            '--update-head-ok',
            '--no-write-fetch-head',
            BUNDLE,
            '+refs/heads/*:refs/heads/*',
            '+refs/tags/*:refs/tags/*',
          ],
          { timeoutMs: FETCH_TIMEOUT_MS },
        )
        if (fetched.code !== 0) {
          throw new AppError(ErrorCode.BadRequest, `The bundle could not be read: ${fetched.stderr.trim()}`)
        }
        await git.run(['reset', '--quiet'])
        await restoreBinaries(git)
        const commits = Number((await git.run(['rev-list', '--count', 'HEAD'])).stdout.trim())
        return { branch, commits, message: `Imported ${commits} commits of ${branch}` }
      } catch (e: unknown) {
        await git.removeRepository()
        throw e
      } finally {
        // Its objects are in the repository now (or the repository is gone).
        await git.removeGitFile(BUNDLE_NAME)
      }
    })
  }
}
export type HistoryImport = ReturnType<typeof createHistoryImport>

/** Checks out the binary files of the index that the working tree lacks (`mimi import` leaves them out). */
async function restoreBinaries(git: Git): Promise<void> {
  const missing = await git.run(['diff', '--numstat', '-z', '--diff-filter=D'])
  // Each entry is "added<TAB>deleted<TAB>path\0"; a binary file counts "-" lines.
  const binaries = missing.stdout
    .split('\0')
    .map((entry) => /^-\t-\t(.+)$/s.exec(entry)?.[1])
    .filter((p): p is string => p !== undefined)
  if (binaries.length > 0) await git.run(['checkout', '--', ...binaries])
}
