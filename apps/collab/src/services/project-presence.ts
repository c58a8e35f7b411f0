import type { Hocuspocus } from '@hocuspocus/server'
import * as Y from 'yjs'
import {
  AGENT_USER_ID,
  CONTENT_FIELD,
  OUTSIDE_AGENT_ID_PREFIX,
  WORKSPACE_USER,
  type PresentCollaborator,
} from '@mimiverse/shared'

/**
 * Who is where in a project, as this node's live documents' awareness says (states from other nodes arrive
 * over Redis into the same documents): for each collaborator, the file they look at and their cursor's line
 * there. A service for mounted services (the AI's outside agents ask it, `get_presence`); read-only, nothing
 * published. The workspace mirror is a service of the server, not a collaborator, and is left out.
 *
 * Awareness is written by clients, but the presence guard has checked every state's shape and `user` (a state
 * from another node, that node's guard): the fields are read as the guard let them through, still defensively.
 */
export type ProjectPresence = (projectId: string) => PresentCollaborator[]

/** Collaborators listed at most (a project's people and agents; beyond, the list says nothing new). */
const MAX_COLLABORATORS = 200

export function presenceIn(hocuspocus: Hocuspocus, projectId: string): PresentCollaborator[] {
  const byId = new Map<string, PresentCollaborator>()
  for (const [docName, document] of hocuspocus.documents) {
    if (!docName.startsWith(`${projectId}/`)) continue
    for (const [clientId, state] of document.awareness.getStates()) {
      if (clientId === document.awareness.clientID) continue
      const seen = collaboratorIn(state, document, docName)
      if (!seen) continue
      const known = byId.get(seen.id)
      if (!known && byId.size >= MAX_COLLABORATORS) continue
      // The state in the file a person looks at knows their line; other files' states only say which file.
      if (!known || (known.line === null && seen.line !== null)) byId.set(seen.id, seen)
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function collaboratorIn(
  state: Record<string, unknown>,
  doc: Y.Doc,
  docName: string,
): PresentCollaborator | null {
  const user = state.user as { id?: unknown; name?: unknown; onBehalfOf?: { name?: unknown } } | undefined
  if (typeof user?.id !== 'string' || typeof user.name !== 'string' || user.id === WORKSPACE_USER.id)
    return null
  const agent = user.id === AGENT_USER_ID || user.id.startsWith(OUTSIDE_AGENT_ID_PREFIX)
  const file = state.file as { docName?: unknown; path?: unknown } | null | undefined
  const path = typeof file?.path === 'string' ? file.path : null
  const here = file?.docName === docName
  return {
    id: user.id,
    name: user.name,
    kind: agent ? 'agent' : 'person',
    onBehalfOf: agent && typeof user.onBehalfOf?.name === 'string' ? user.onBehalfOf.name : null,
    path,
    line: here ? cursorLine(state.selection, doc) : null,
  }
}

/** The 1-based line of a `selection.head` (a relative position as JSON) in the document's text, or null. */
function cursorLine(selection: unknown, doc: Y.Doc): number | null {
  const head = (selection as { head?: unknown } | null | undefined)?.head
  if (!head || typeof head !== 'object') return null
  const text = doc.getText(CONTENT_FIELD)
  const at = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(head), doc)
  if (!at || at.type !== text) return null
  const before = text.toString().slice(0, at.index)
  let line = 1
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++
  return line
}
