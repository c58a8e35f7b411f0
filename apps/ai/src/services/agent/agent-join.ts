import type * as Y from 'yjs'
import type { CollabTokenIssuer } from '@mimiverse/server-kit'
import { AGENT_NAME, AGENT_USER_ID, agentTokenName } from '@mimiverse/shared'
import type { Workspace } from '../workspace'
import { joinDocument, type CollabSession } from './collab-session'

/** The agent's colour in awareness (editors may derive their own from `user.id`). */
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
}): CollabSession {
  return joinDocument({
    url: o.collab.url(),
    docName: o.docName,
    doc: o.doc,
    timeoutMs: o.timeoutMs,
    // Only id and name: the collab server refuses any other field (and a session's user also has the e-mail).
    user: {
      id: AGENT_USER_ID,
      name: AGENT_NAME,
      color: AGENT_COLOR,
      onBehalfOf: { id: o.requester.id, name: o.requester.name },
    },
    token: async () => {
      const role = await o.workspace.requireMember(o.requester.id, o.projectId)
      return o.collab.tokens.issue({
        userId: o.requester.id,
        name: agentTokenName(o.requester.name),
        projectId: o.projectId,
        role,
        agent: { runId: o.runId, doc: o.docName },
      }).token
    },
  })
}
