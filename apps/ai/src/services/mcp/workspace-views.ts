import { AppError, ErrorCode, type PresentCollaborator } from '@mimiverse/shared'

/**
 * What outside agents see of the project beyond its files: who is where (`get_presence`) and the workspace's git
 * changes (`git_diff`). Both come from the host, as the agent's commands do (`CommandRunner`): the collab node
 * reads its live documents' awareness, the runner runs git in the workspace. The embedded composition
 * (`scripts/embedded.ts`) hands them over; without them the tools say so.
 */

/** Who is where in a project (the collab node's `presence`). */
export type ProjectPresence = (projectId: string) => PresentCollaborator[]

/** The workspace's changes as git shows them (the runner's `git.patch`). */
export interface WorkspaceGit {
  /**
   * Everything not committed (or, `staged`, what is staged) as a unified diff, and the untracked files. Rejects
   * with an `AppError` when the workspace is off or has no repository.
   */
  patch(
    projectId: string,
    input: { path?: string; staged: boolean },
  ): Promise<{ diff: string; untracked: string[]; untrackedCount: number }>
}

/** Collaborators listed at most in one answer. */
const MAX_LISTED = 50

export function describePresence(presence: ProjectPresence | null, projectId: string): string {
  if (!presence) throw new AppError(ErrorCode.Unavailable, 'presence is not available on this server')
  const all = presence(projectId)
  if (all.length === 0) return 'Nobody has a file of the project open right now.'
  const lines = all.slice(0, MAX_LISTED).map((c) => {
    const who = c.kind === 'agent' ? `${c.name} (agent${c.onBehalfOf ? ` for ${c.onBehalfOf}` : ''})` : c.name
    const where = c.path ? `${c.path}${c.line !== null ? `, line ${c.line}` : ''}` : 'no file open'
    return `- ${who}: ${where}`
  })
  const more = all.length > MAX_LISTED ? `\n… and ${all.length - MAX_LISTED} more` : ''
  return `In the project now (${all.length}):\n${lines.join('\n')}${more}`
}

export async function describeGitDiff(
  git: WorkspaceGit | null,
  projectId: string,
  input: { path?: string; staged: boolean },
): Promise<string> {
  if (!git) {
    throw new AppError(
      ErrorCode.Unavailable,
      'this server has no workspace for the project, so there is no git repository to diff',
    )
  }
  const { diff, untracked, untrackedCount } = await git.patch(projectId, input)
  const what = input.staged ? 'staged changes' : 'changes not committed'
  const body = diff.trim() ? diff : `No ${what}${input.path ? ` in ${input.path}` : ''}.\n`
  if (untrackedCount === 0 || input.staged) return body
  const cut = untrackedCount > untracked.length ? `\n… and ${untrackedCount - untracked.length} more` : ''
  return `${body}\nUntracked files (${untrackedCount}):\n${untracked.join('\n')}${cut}`
}
