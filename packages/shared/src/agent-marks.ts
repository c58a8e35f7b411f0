import { fnv1a } from './color'

/**
 * Agent runs inside a file's document (a public contract: editors and outside clients read it). Besides the
 * `content` Y.Text, a document
 * holds the Y.Map `agentRuns`: one entry per agent run on that file whose review is pending, keyed by run id.
 * Every editor draws the entry's ranges as the agent's highlight until the run is accepted or undone (the agent
 * service then deletes the entry). Positions are `Y.relativePositionToJSON` of positions in `content`, so the
 * highlight follows the text while people type around it; read them with `Y.createRelativePositionFromJSON`.
 */
export const AGENT_RUNS_FIELD = 'agentRuns'

/** `Y.relativePositionToJSON(...)`: plain JSON, opaque here so this package needs no Yjs. */
export type RelativePositionJson = Record<string, unknown>

export interface AgentRunMark {
  runId: string
  /** Display name of the person who asked. */
  requester: string
  state: 'running' | 'done'
  /** Text the agent inserted in this run, as [start, end) pairs. */
  ranges: { start: RelativePositionJson; end: RelativePositionJson }[]
}

/** The agent's identity in awareness (`user` field, as people publish it), so editors show its cursor. */
export const AGENT_NAME = 'Mimi'

/**
 * The agent's `user.id` in awareness (same for every run, so editors group its cursors as one collaborator).
 * Its `user` also carries `onBehalfOf: {id, name}`, the person who asked.
 */
export const AGENT_USER_ID = 'mimi-agent'

/**
 * Prefix of an outside agent's `user.id` in awareness (an MCP client working with a personal access token). The
 * AI service puts the id and the agent's name into the agent's collab token; the collab server holds the
 * awareness `user` to them, as it holds Mimi's to `AGENT_USER_ID`. Account ids are UUIDs, so none has it.
 */
export const OUTSIDE_AGENT_ID_PREFIX = 'mcp-'

/**
 * The awareness id of the agent `clientName` connected with the token `tokenId`: the same for every session of
 * that client with that token (so it keeps its colour), apart from other clients of the same token.
 */
export function outsideAgentId(tokenId: string, clientName: string): string {
  return `${OUTSIDE_AGENT_ID_PREFIX}${tokenId}-${fnv1a(clientName).toString(16).padStart(8, '0')}`
}

/**
 * The workspace mirror's identity (the runner writing files changed on disk back into their documents), in
 * awareness and on the server, so its edits are attributed to "Workspace" rather than to a person.
 */
export const WORKSPACE_USER = { id: 'mimi-workspace', name: 'Workspace' } as const

/**
 * The name in the agent's collab tokens for a run asked by `requesterName`. The collab server holds the agent's
 * awareness `user.onBehalfOf.name` to it, so the agent cannot be shown as working for someone else.
 */
export function agentTokenName(requesterName: string): string {
  return `${AGENT_NAME} (for ${requesterName})`
}
