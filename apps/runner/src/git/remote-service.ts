import { AppError, ErrorCode } from '@mimiverse/shared'
import { deleteGitRemote, findGitRemote, saveGitRemote, type Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import type { CredentialBox } from './credentials'
import { REMOTE_NAME, runRemote, type RemoteAccess, type RemoteProgress } from './remote-git'
import { checkRemote, parseRemoteUrl, type RemotePolicy } from './remote-policy'
import { gitError, identity, type Git, type GitPerson, type RepoTurns } from './repo'

/**
 * A project's remote (`origin`) and the operations that reach it: fetch, pull, push, clone. The URL and the
 * encrypted credentials live in the database (`git_remotes`), never in the repository; each operation checks the
 * URL against the server's policy again, decrypts the credentials for that one git process and runs in the
 * project's turn like every git operation. While one runs, `info` tells everyone its phase (the panel polls it).
 */
export interface RemoteServiceOptions {
  inRepo: RepoTurns
  db: Db
  box: CredentialBox
  policy: RemotePolicy
  log: Logger
}

export type RemoteOperation = 'fetch' | 'pull' | 'push' | 'clone'

export interface RemoteInfo {
  url: string | null
  /** The username given with the credentials; the password or token is never returned. */
  username: string | null
  credentials: 'set' | 'not set'
  /** Whether this server lets git reach any host (`RUNNER_GIT_REMOTES`). */
  enabled: boolean
  running: { operation: RemoteOperation; by: string; phase: string; percent: number | null } | null
  last: { operation: RemoteOperation; by: string; ok: boolean; message: string; at: string } | null
}

export interface Credentials {
  username: string
  password: string
}

export interface PullResult {
  outcome: 'up-to-date' | 'fast-forward' | 'merged' | 'conflicts'
  /** Conflicted files (with git's markers, as documents): fix, stage and commit to finish the merge. */
  conflicts: string[]
  message: string
}

type Member = GitPerson & { id: string }

export type RemoteService = ReturnType<typeof createRemoteService>

export function createRemoteService(options: RemoteServiceOptions) {
  const { db, box, policy, inRepo } = options
  const running = new Map<string, NonNullable<RemoteInfo['running']>>()
  const last = new Map<string, NonNullable<RemoteInfo['last']>>()

  async function access(projectId: string): Promise<RemoteAccess> {
    const row = await findGitRemote(db, projectId)
    if (!row) throw new AppError(ErrorCode.NotFound, 'This project has no remote: set its URL first')
    const url = checkRemote(row.url, policy)
    if (!row.secret || !row.username) return { url }
    const password = box.open(projectId, row.secret)
    if (password === null) {
      throw new AppError(
        ErrorCode.Conflict,
        "The remote's stored credentials cannot be read (the server's secret changed): enter them again",
      )
    }
    return { url, credentials: { username: row.username, password } }
  }

  /** Runs one remote operation of the project, tracked for `info`, logged without URL credentials or secrets. */
  async function tracked<T extends { message: string }>(
    projectId: string,
    operation: RemoteOperation,
    by: Member,
    fn: (progress: (p: RemoteProgress) => void) => Promise<T>,
  ): Promise<T> {
    const current = running.get(projectId)
    if (current)
      throw new AppError(ErrorCode.Conflict, `A ${current.operation} is already running: wait for it`)
    const state = {
      operation,
      by: by.name,
      phase: 'Waiting for the workspace',
      percent: null as number | null,
    }
    running.set(projectId, state)
    const done = (ok: boolean, message: string) => {
      last.set(projectId, { operation, by: by.name, ok, message, at: new Date().toISOString() })
      options.log.info('git remote operation', { projectId, operation, userId: by.id, ok })
    }
    try {
      const result = await fn((p) => Object.assign(state, p))
      done(true, result.message)
      return result
    } catch (e: unknown) {
      done(false, e instanceof AppError ? e.message : 'failed')
      throw e
    } finally {
      running.delete(projectId)
    }
  }

  /** Writes `origin` into the repository's config (for terminals and status) and fetches every branch. */
  async function fetchAll(git: Git, remote: RemoteAccess, progress: (p: RemoteProgress) => void) {
    await git.run(['config', '--replace-all', `remote.${REMOTE_NAME}.url`, remote.url.href])
    await git.run([
      'config',
      '--replace-all',
      `remote.${REMOTE_NAME}.fetch`,
      `+refs/heads/*:refs/remotes/${REMOTE_NAME}/*`,
    ])
    progress({ phase: 'Fetching', percent: null })
    await runRemote(
      git,
      remote,
      [
        'fetch',
        '--progress',
        '--prune',
        '--no-tags',
        '--no-write-fetch-head',
        remote.url.href,
        `+refs/heads/*:refs/remotes/${REMOTE_NAME}/*`,
      ],
      progress,
    )
  }

  async function setUpstream(git: Git, branch: string) {
    await git.run(['config', `branch.${branch}.remote`, REMOTE_NAME])
    await git.run(['config', `branch.${branch}.merge`, `refs/heads/${branch}`])
  }

  async function currentBranch(git: Git): Promise<string> {
    await git.repository()
    await git.onBranch()
    return (await git.run(['symbolic-ref', '--short', 'HEAD'])).stdout.trim()
  }

  async function trackingHead(git: Git, branch: string): Promise<string | null> {
    const r = await git.run(['rev-parse', '--verify', '--quiet', `refs/remotes/${REMOTE_NAME}/${branch}`], {
      allow: [1],
    })
    return r.code === 0 ? r.stdout.trim() : null
  }

  async function pullInto(git: Git, branch: string, committer: Member): Promise<PullResult> {
    const theirs = await trackingHead(git, branch)
    if (!theirs) throw new AppError(ErrorCode.NotFound, `The remote has no branch ${branch}`)
    const before = await git.head()
    const result = await git.moving(
      ['merge', '--no-edit', '--quiet', `refs/remotes/${REMOTE_NAME}/${branch}`],
      {
        env: identity(committer),
        allow: [1],
      },
    )
    if (result.code !== 0) {
      const status = await git.status()
      const conflicts = status.files.filter((f) => f.conflicted).map((f) => f.path)
      if (conflicts.length === 0) throw gitError(result)
      // HEAD did not move: read back what the merge wrote (conflict markers, files merged cleanly).
      await git.readBack(status.files.filter((f) => f.unstaged !== 'untracked').map((f) => f.path))
      return {
        outcome: 'conflicts',
        conflicts,
        message: `Pulling ${branch} conflicts in ${conflicts.join(', ')}: fix the marked lines, stage the files and commit to finish the merge`,
      }
    }
    await setUpstream(git, branch)
    const after = await git.head()
    if (after === before) return { outcome: 'up-to-date', conflicts: [], message: `${branch} is up to date` }
    const outcome = after === theirs ? 'fast-forward' : 'merged'
    return {
      outcome,
      conflicts: [],
      message: `Pulled ${branch} (${outcome === 'merged' ? 'merge commit' : 'fast-forward'})`,
    }
  }

  return {
    info: async (projectId: string): Promise<RemoteInfo> => {
      const row = await findGitRemote(db, projectId)
      return {
        url: row?.url ?? null,
        username: row?.secret ? row.username : null,
        credentials: row?.secret ? 'set' : 'not set',
        enabled: policy.patterns.length > 0,
        running: running.get(projectId) ?? null,
        last: last.get(projectId) ?? null,
      }
    },

    /**
     * Sets the remote. `credentials`: new ones, `null` to forget them, or left out to keep them, which only
     * holds while the URL stays on the same origin (credentials are never sent to another host than they were
     * given for).
     */
    set: async (projectId: string, input: { url: string; credentials?: Credentials | null }, by: Member) => {
      const url = checkRemote(input.url, policy)
      const row = await findGitRemote(db, projectId)
      const sameOrigin = row !== null && parseRemoteUrl(row.url).origin === url.origin
      let username = sameOrigin ? row.username : null
      let secret = sameOrigin ? row.secret : null
      if (input.credentials === null) [username, secret] = [null, null]
      else if (input.credentials) {
        username = input.credentials.username
        secret = box.seal(projectId, input.credentials.password)
      }
      await saveGitRemote(db, { projectId, url: url.href, username, secret, updatedBy: by.id })
      options.log.info('git remote set', {
        projectId,
        host: url.host,
        userId: by.id,
        credentials: secret !== null,
      })
    },

    remove: (projectId: string) => deleteGitRemote(db, projectId),

    fetch: (projectId: string, by: Member) =>
      tracked(projectId, 'fetch', by, async (progress) => {
        const remote = await access(projectId)
        return inRepo(projectId, async (git) => {
          await git.repository()
          await fetchAll(git, remote, progress)
          return { message: `Fetched from ${remote.url.host}` }
        })
      }),

    /** Fetch, then merge the current branch's remote branch into it (fast-forward or a merge commit). */
    pull: (projectId: string, by: Member) =>
      tracked(projectId, 'pull', by, async (progress) => {
        const remote = await access(projectId)
        return inRepo(projectId, async (git) => {
          const branch = await currentBranch(git)
          await fetchAll(git, remote, progress)
          progress({ phase: 'Merging', percent: null })
          return pullInto(git, branch, by)
        })
      }),

    /** Pushes the current branch to the remote branch of the same name (never forced). */
    push: (projectId: string, by: Member) =>
      tracked(projectId, 'push', by, async (progress) => {
        const remote = await access(projectId)
        return inRepo(projectId, async (git) => {
          const branch = await currentBranch(git)
          if (!(await git.hasHead())) throw new AppError(ErrorCode.BadRequest, 'Commit once before pushing')
          progress({ phase: 'Pushing', percent: null })
          await runRemote(
            git,
            remote,
            ['push', '--progress', '--no-verify', remote.url.href, `HEAD:refs/heads/${branch}`],
            progress,
          )
          await git.run(['config', '--replace-all', `remote.${REMOTE_NAME}.url`, remote.url.href])
          await git.run(['update-ref', `refs/remotes/${REMOTE_NAME}/${branch}`, 'HEAD'])
          await setUpstream(git, branch)
          return { branch, message: `Pushed ${branch} to ${remote.url.host}` }
        })
      }),

    /**
     * Brings the remote's repository into a workspace that has none: `git init`, fetch, then its default branch
     * checked out, whose files come into the documents through the workspace mirror (as a switch does).
     */
    clone: (projectId: string, by: Member) =>
      tracked(projectId, 'clone', by, async (progress) => {
        const remote = await access(projectId)
        return inRepo(projectId, async (git) => {
          if ((await git.run(['rev-parse', '--git-dir'], { allow: [128] })).code === 0) {
            throw new AppError(
              ErrorCode.Conflict,
              'This workspace already has a git repository: pull instead',
            )
          }
          await git.run(['init', '--quiet', '--initial-branch=main'])
          try {
            progress({ phase: 'Connecting', percent: null })
            const head = await runRemote(git, remote, ['ls-remote', '--symref', remote.url.href, 'HEAD'])
            const branch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(head.stdout)?.[1]
            await fetchAll(git, remote, progress)
            if (!branch) return { branch: 'main', files: 0, message: 'Cloned an empty repository' }
            progress({ phase: 'Checking out', percent: null })
            await git.moving([
              'switch',
              '--quiet',
              '--no-guess',
              '-C',
              await git.branchName(branch),
              `refs/remotes/${REMOTE_NAME}/${branch}`,
            ])
            await setUpstream(git, branch)
            const files = (await git.run(['ls-files', '-z'])).stdout.split('\0').filter(Boolean).length
            return { branch, files, message: `Cloned ${branch} (${files} files)` }
          } catch (e: unknown) {
            await git.removeRepository()
            throw e
          }
        })
      }),
  }
}
