import type * as Y from 'yjs'
import type { CollabTokenIssuer } from '@mimiverse/server-kit'
import { AGENT_NAME, AGENT_USER_ID, agentTokenName, colorFor } from '@mimiverse/shared'
import type { Workspace } from '../workspace'
import { joinDocument, type CollabSession } from './collab-session'

/** Mimi's colour in awareness (editors may derive their own from `user.id`). */
const AGENT_COLOR = '#c026d3'

export interface AgentCollab {
  url: () => string
  tokens: CollabTokenIssuer
}

/**
 * Joins a document as the agent working for `requester` in one run: a collab token for the requester, with
 * their current role (asked again at every reconnect, so a revoked requester stops the agent too), pinned to
 * that document and naming the run.
 */
export function joinAsAgent(o: {
  collab: AgentCollab
  workspace: Workspace
  timeoutMs: number
  docName: string
  doc: Y.Doc
  requester: { id: string; name: string }
  projectId: string
  runId: string
  /** An outside agent's own identity in presence (its name and colour); default Mimi's. */
  as?: { id: string; name: string }
}): CollabSession {
  return joinDocument({
    url: o.collab.url(),
    docName: o.docName,
    doc: o.doc,
    timeoutMs: o.timeoutMs,
    // Only these fields: the collab server refuses any other (and a session's user also has the e-mail).
    user: {
      id: o.as?.id ?? AGENT_USER_ID,
      name: o.as?.name ?? AGENT_NAME,
      color: o.as ? colorFor(o.as.id) : AGENT_COLOR,
      onBehalfOf: { id: o.requester.id, name: o.requester.name },
    },
    token: async () => {
      const role = await o.workspace.requireMember(o.requester.id, o.projectId)
      return o.collab.tokens.issue({
        userId: o.requester.id,
        name: agentTokenName(o.requester.name),
        projectId: o.projectId,
        role,
        // The collab server holds the agent's awareness `user` to the identity signed in here.
        agent: { runId: o.runId, doc: o.docName, ...(o.as ? { as: o.as } : {}) },
      }).token
    },
  })
}
