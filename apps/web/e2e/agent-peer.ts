import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import { AGENT_NAME, AGENT_RUNS_FIELD, AGENT_USER_ID, type AgentRunMark } from '@mimiverse/shared'
import { agentTestToken, apiClient, connectPeer, type Peer } from '@mimiverse/collab/testing'

/**
 * A Node client that behaves like the agent service in a document, for browser tests that need no model: it
 * connects with an agent token for the requester (signed with the test servers' secret, as the AI service signs
 * them), appears in awareness as Mimi working for them, inserts text, and writes, changes and removes
 * `agentRuns` entries.
 */
export interface AgentPeer {
  peer: Peer
  /** Inserts `text` at `index` and marks it as run `runId`'s, in one transaction (as the agent does). */
  insertMarked(opts: { runId: string; requester: string; index: number; text: string }): Promise<void>
  setState(runId: string, state: AgentRunMark['state']): Promise<void>
  removeMark(runId: string): Promise<void>
  destroy(): void
}

export async function connectAgentPeer(opts: {
  baseUrl: string
  projectId: string
  docName: string
  /** The session token of the requester, a member who may write (the peer acts for them). */
  sessionToken: string
}): Promise<AgentPeer> {
  const { user } = await apiClient(opts.baseUrl, opts.sessionToken).auth.me.query()
  if (!user) throw new Error('the agent peer needs a signed-in requester')
  const runId = randomUUID()
  const peer = connectPeer({
    baseUrl: opts.baseUrl,
    docName: opts.docName,
    token: () =>
      Promise.resolve(
        agentTestToken({ requester: user, projectId: opts.projectId, docName: opts.docName, runId }),
      ),
  })
  peer.provider.setAwarenessField('user', {
    id: AGENT_USER_ID,
    name: AGENT_NAME,
    color: '#c678dd',
    onBehalfOf: { id: user.id, name: user.name },
  })
  await peer.synced()
  const runs = peer.doc.getMap<AgentRunMark>(AGENT_RUNS_FIELD)
  const rel = (index: number, assoc: number) =>
    Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(peer.text, index, assoc)) as Record<
      string,
      unknown
    >
  return {
    peer,
    async insertMarked({ runId, requester, index, text }) {
      peer.doc.transact(() => {
        peer.text.insert(index, text)
        const range = { start: rel(index, 0), end: rel(index + text.length, -1) }
        runs.set(runId, { runId, requester, state: 'running', ranges: [range] })
        // The agent's caret after what it wrote, as y-monaco publishes a person's.
        const caret = Y.createRelativePositionFromTypeIndex(peer.text, index + text.length)
        peer.provider.setAwarenessField('selection', { anchor: caret, head: caret })
      })
      await peer.acknowledged()
    },
    async setState(runId, state) {
      const mark = runs.get(runId)
      if (mark) runs.set(runId, { ...mark, state })
      await peer.acknowledged()
    },
    async removeMark(runId) {
      runs.delete(runId)
      await peer.acknowledged()
    },
    destroy: () => peer.destroy(),
  }
}
