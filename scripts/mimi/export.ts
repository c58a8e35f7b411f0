import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { filePathProblem } from '@mimiverse/shared'
import { CliError, type Session } from './api'
import { findProject } from './project'

/**
 * `mimi export --project <name> <dir>`: writes the current text of every file of the project under `dir`
 * (created if missing; existing files with the same paths are overwritten). The server validates paths already;
 * each one is checked again here, and nothing is written outside `dir`, not even through a symbolic link that
 * already exists inside it.
 */
export interface ExportSummary {
  projectId: string
  written: string[]
}

/** Whether `child` is `parent` or lies inside it (both absolute, resolved). */
const isInside = (parent: string, child: string) => {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The absolute path to write `path` to under `root`, after checking it cannot escape `root`. */
export async function safeTarget(root: string, path: string): Promise<string> {
  const problem = filePathProblem(path)
  if (problem) throw new CliError(`refusing to write "${path}": ${problem}`)
  const target = resolve(root, ...path.split('/'))
  if (!isInside(root, target)) throw new CliError(`refusing to write "${path}": outside ${root}`)
  await mkdir(dirname(target), { recursive: true })
  // A folder on the way may be a symbolic link pointing elsewhere; resolve it and check again.
  const realParent = await realpath(dirname(target))
  if (!isInside(await realpath(root), realParent)) {
    throw new CliError(`refusing to write "${path}": a folder on its path leads outside ${root}`)
  }
  const existing = await lstat(target).catch(() => null)
  if (existing?.isSymbolicLink()) throw new CliError(`refusing to write "${path}": it is a symbolic link`)
  if (existing?.isDirectory()) throw new CliError(`refusing to write "${path}": a folder has that name`)
  return join(realParent, ...path.split('/').slice(-1))
}

export async function exportProject(options: {
  session: Session
  project: string
  dir: string
}): Promise<ExportSummary> {
  const { api } = options.session
  const project = await findProject(api, options.project)
  if (!project) throw new CliError(`you have no project named "${options.project}"`)
  const root = resolve(options.dir)
  await mkdir(root, { recursive: true })
  const files = await api.files.list.query({ projectId: project.id })
  const written: string[] = []
  for (const file of files) {
    const target = await safeTarget(root, file.path)
    const { content } = await api.files.read.query({ projectId: project.id, path: file.path })
    await writeFile(target, content)
    written.push(file.path)
  }
  return { projectId: project.id, written }
}
