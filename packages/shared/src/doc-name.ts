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
