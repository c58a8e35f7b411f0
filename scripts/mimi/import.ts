import { stat } from 'node:fs/promises'
import { forEachConcurrently } from '@mimiverse/shared'
import { CliError, type Session } from './api'
import { createCaseTwins } from './case-twins'
import { createDocWriter } from './doc-writer'
import { createProgress, type Output } from './progress'
import { findOrCreateProject } from './project'
import { readTextFile } from '@mimiverse/server-kit'
import { walk, type LocalFile, type Skipped } from './walk'
import { importHistory, type HistoryOutcome } from './history'

/**
 * `mimi import <dir> --project <name>`: makes the project's files match the folder's text files. New files are
 * created with their text; files whose text differs are edited in place as a collaborator (see doc-writer);
 * equal files are left alone, so running it again changes nothing. Files that exist only on the server are
 * never deleted.
 */
export interface ImportSummary {
  projectId: string
  /** Whether the project was created by this run. */
  projectCreated: boolean
  created: string[]
  updated: string[]
  unchanged: string[]
  skipped: Skipped[]
  /** Files the server refused, with its reason. */
  failed: Skipped[]
  /** Files on the server that are not in the folder (left alone). */
  remoteOnly: string[]
  /** The folder's git history, brought into the project's workspace when the folder is a repository. */
  history: HistoryOutcome
}

/** Files handled at once: hides the round trips to a remote server without flooding it. */
const CONCURRENCY = 4

/** Checks that `dir` is a folder; a clear error otherwise (before anything is sent). */
export async function assertFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null)
  if (!info) throw new CliError(`no such folder: ${dir}`)
  if (!info.isDirectory()) throw new CliError(`not a folder: ${dir}`)
}

export async function importFolder(options: {
  session: Session
  dir: string
  project: string
  progress: Output
}): Promise<ImportSummary> {
  const { session, dir } = options
  const { api } = session
  await assertFolder(dir)
  const local = await walk(dir)
  const project = await findOrCreateProject(api, options.project)
  const projectId = project.id
  const remote = new Map((await api.files.list.query({ projectId })).map((f) => [f.path, f]))
  const { files: toImport, twins } = withoutCaseTwins(local.files, remote.keys())
  const summary: ImportSummary = {
    projectId,
    projectCreated: project.created,
    created: [],
    updated: [],
    unchanged: [],
    skipped: [...local.skipped, ...twins],
    failed: [],
    remoteOnly: [],
    history: { kind: 'not-imported', reason: 'not tried' },
  }
  const writer = createDocWriter({
    server: session.server,
    token: async () => (await api.collab.token.mutate({ projectId })).token,
    user: session.user,
  })
  const progress = createProgress(options.progress, toImport.length)
  try {
    await forEachConcurrently(toImport, CONCURRENCY, async (file) => {
      const outcome = await importOne({ session, projectId, file, existing: remote.get(file.path), writer })
      if (outcome.kind === 'skipped' || outcome.kind === 'failed') {
        summary[outcome.kind].push({ path: file.path, reason: outcome.reason })
      } else summary[outcome.kind].push(file.path)
      progress.step(file.path, outcome.kind)
    })
  } finally {
    progress.done()
    writer.close()
  }
  // Files finish in any order; the summary lists them by path.
  for (const list of [summary.created, summary.updated, summary.unchanged]) list.sort()
  for (const list of [summary.skipped, summary.failed]) list.sort((a, b) => (a.path < b.path ? -1 : 1))
  const localPaths = new Set(local.files.map((f) => f.path))
  summary.remoteOnly = [...remote.keys()].filter((path) => !localPaths.has(path))
  summary.history = await importHistory(session, dir, projectId)
  return summary
}

/**
 * Leaves out local files that would differ only in case from a file or folder of the project or from an earlier
 * local file (the server refuses them: macOS and Windows would merge the two); each is reported as skipped.
 */
function withoutCaseTwins(local: readonly LocalFile[], remotePaths: Iterable<string>) {
  const taken = createCaseTwins(remotePaths)
  const files: LocalFile[] = []
  const twins: Skipped[] = []
  for (const file of local) {
    const twin = taken.twinOf(file.path)
    if (twin) {
      twins.push({ path: file.path, reason: `"${twin.name}" differs only in case from "${twin.existing}"` })
    } else {
      taken.add(file.path)
      files.push(file)
    }
  }
  return { files, twins }
}

type Outcome = { kind: 'created' | 'updated' | 'unchanged' } | { kind: 'skipped' | 'failed'; reason: string }

async function importOne(options: {
  session: Session
  projectId: string
  file: { path: string; absPath: string; size: number }
  existing: { docName: string } | undefined
  writer: ReturnType<typeof createDocWriter>
}): Promise<Outcome> {
  const { session, projectId, file, existing, writer } = options
  try {
    const read = await readTextFile(file.absPath, file.size)
    if (read.kind === 'skip') return { kind: 'skipped', reason: read.reason }
    if (!existing) {
      await session.api.files.create.mutate({ projectId, path: file.path, content: read.text })
      return { kind: 'created' }
    }
    const { content } = await session.api.files.read.query({ projectId, path: file.path })
    if (content === read.text) return { kind: 'unchanged' }
    await writer.write(existing.docName, read.text)
    return { kind: 'updated' }
  } catch (e: unknown) {
    return { kind: 'failed', reason: session.describe(e) }
  }
}
