import { execFile } from 'node:child_process'
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Session } from './api'

const run = promisify(execFile)

/** What became of the folder's git history. */
export type HistoryOutcome =
  { kind: 'imported'; branch: string; commits: number } | { kind: 'not-imported'; reason: string }

/** The server's answer to `POST /runner/git/import`. */
interface ImportAnswer {
  branch?: string
  commits?: number
  error?: string
}

/**
 * Sends the git history of `dir` to the project's workspace when `dir` is the top of a repository: every branch
 * and tag as one bundle (`git bundle create --all`), HEAD on the branch checked out here. The files themselves
 * were imported as documents; the server sets only its index, so what was not committed here shows as changes
 * there. Nothing is sent for a folder that is no repository, has no commit, or whose workspace has one already.
 */
export async function importHistory(
  session: Session,
  dir: string,
  projectId: string,
): Promise<HistoryOutcome> {
  const git = (...args: string[]) => run('git', ['-C', dir, ...args], { maxBuffer: 1024 * 1024 })
  const top = await git('rev-parse', '--show-toplevel').catch(() => null)
  if (!top) return { kind: 'not-imported', reason: 'the folder is no git repository' }
  if ((await realpath(top.stdout.trim())) !== (await realpath(dir))) {
    return { kind: 'not-imported', reason: 'the folder is inside a repository, not its top folder' }
  }
  const branch = (await git('symbolic-ref', '--short', '-q', 'HEAD').catch(() => null))?.stdout.trim() ?? ''
  const scratch = await mkdtemp(join(tmpdir(), 'mimi-history-'))
  try {
    const bundle = join(scratch, 'history.bundle')
    if (!(await git('bundle', 'create', '--quiet', bundle, '--all').catch(() => null))) {
      return { kind: 'not-imported', reason: 'the repository has no commit' }
    }
    const url = new URL(`${session.server}/runner/git/import`)
    url.searchParams.set('projectId', projectId)
    if (branch) url.searchParams.set('branch', branch)
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(await readFile(bundle)),
    })
    // No such route (a server without the runner): the static site answers 404, or 405 to a POST.
    if (res.status === 404 || res.status === 405) {
      return { kind: 'not-imported', reason: 'this server runs no workspaces (git lives there)' }
    }
    const answer = (await res.json().catch(() => ({}))) as ImportAnswer
    if (!res.ok || answer.branch === undefined || answer.commits === undefined) {
      return { kind: 'not-imported', reason: answer.error ?? `the server answered ${res.status}` }
    }
    return { kind: 'imported', branch: answer.branch, commits: answer.commits }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
