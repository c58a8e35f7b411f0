import { canWrite, Role } from '@mimiverse/shared'
import { CliError, type Api } from './api'

export interface ProjectRef {
  id: string
  name: string
  role: Role
}

/**
 * The signed-in user's project called `name` (or with that id). Names are not unique across projects, so a
 * name shared by several of the user's projects is refused rather than guessed; the id then picks one.
 */
export async function findProject(api: Api, name: string): Promise<ProjectRef | null> {
  const projects = await api.projects.list.query()
  const byId = projects.find((p) => p.id === name)
  if (byId) return byId
  const matches = projects.filter((p) => p.name === name)
  if (matches.length > 1) {
    const ids = matches.map((p) => p.id).join(', ')
    throw new CliError(`${matches.length} of your projects are named "${name}"; pass one id instead: ${ids}`)
  }
  return matches[0] ?? null
}

/** Finds the project, or creates it; refuses a project the user may only read. */
export async function findOrCreateProject(
  api: Api,
  name: string,
): Promise<ProjectRef & { created: boolean }> {
  const found = await findProject(api, name)
  if (!found) return { ...(await api.projects.create.mutate({ name })), role: Role.Owner, created: true }
  if (!canWrite(found.role)) {
    throw new CliError(`you are a ${found.role} of "${found.name}" and cannot change its files`)
  }
  return { ...found, created: false }
}
