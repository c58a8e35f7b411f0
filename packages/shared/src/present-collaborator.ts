/**
 * One collaborator in a project now, as the collab node's live documents' awareness says: what the collab node
 * reports (`MountDeps.presence`) and outside agents read (`get_presence`).
 */
export interface PresentCollaborator {
  /** The awareness `user.id`: an account id, `mimi-agent`, or an outside agent's `mcp-…`. */
  id: string
  name: string
  kind: 'person' | 'agent'
  /** For an agent: the name of the person it works for. */
  onBehalfOf: string | null
  /** The project path of the file they look at, when they said. */
  path: string | null
  /** Their cursor's line in that file (1-based), when it is known. */
  line: number | null
}
