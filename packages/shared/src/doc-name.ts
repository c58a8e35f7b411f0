/**
 * Document names. Every file is one Yjs document named after its project and its stable file id, so a rename
 * never changes the name and the collab server can authorize a connection from the name alone.
 * Layout (public contract): `<projectId>/<fileId>`, both lowercase UUIDs.
 */
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const docNamePattern = new RegExp(`^(${uuid})/(${uuid})$`)

/** The name of the Y.Text that holds a file's text inside its document. */
export const CONTENT_FIELD = 'content'

export function docNameFor(projectId: string, fileId: string): string {
  return `${projectId}/${fileId}`
}

/** Parses a document name; `null` when it is not one of ours. */
export function parseDocName(name: string): { projectId: string; fileId: string } | null {
  const m = docNamePattern.exec(name)
  if (!m?.[1] || !m[2]) return null
  return { projectId: m[1], fileId: m[2] }
}

/**
 * Documents of a project that are no file, named `<projectId>/<kind>` (public contract). Authorized as the
 * project's files are (members read, reviewers read only), with no file row behind them.
 * - `commit-message`: the Source Control view's commit message, which everyone in the project edits at once
 *   (its text in the `content` Y.Text).
 * - `events`: the project's announcements (see `ProjectEvent`), held open by every open IDE of the project. It
 *   carries stateless messages only: nobody may write it, owners included.
 */
export const ProjectDoc = { CommitMessage: 'commit-message', Events: 'events' } as const
export type ProjectDoc = (typeof ProjectDoc)[keyof typeof ProjectDoc]

const projectDocPattern = new RegExp(`^(${uuid})/(${Object.values(ProjectDoc).join('|')})$`)

export function projectDocName(projectId: string, kind: ProjectDoc): string {
  return `${projectId}/${kind}`
}

/** Parses the name of a project document (not a file's); `null` when it is not one. */
export function parseProjectDocName(name: string): { projectId: string; kind: ProjectDoc } | null {
  const m = projectDocPattern.exec(name)
  if (!m?.[1] || !m[2]) return null
  return { projectId: m[1], kind: m[2] as ProjectDoc }
}
