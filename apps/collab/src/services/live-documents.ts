import type { Hocuspocus } from '@hocuspocus/server'
import type * as Y from 'yjs'
import type { LiveDocuments } from '../context'

/**
 * The node's live documents for API procedures: closing a deleted file's sessions, and editing a document as
 * everyone editing it sees it (a direct connection loads it when no one has it open, and the durable log stores
 * what the edit changed, as for any server-side change).
 */
export function liveDocuments(hocuspocus: Hocuspocus): LiveDocuments {
  return {
    close: (docName) => hocuspocus.closeConnections(docName),
    // Every document of the project open on this node; with Redis, Hocuspocus also publishes each stateless
    // broadcast to the other nodes holding the same document.
    notify(projectId, event) {
      const payload = JSON.stringify(event)
      for (const [name, document] of hocuspocus.documents) {
        if (name.startsWith(`${projectId}/`)) document.broadcastStateless(payload)
      }
    },
    async withDocument<T>(docName: string, fn: (doc: Y.Doc) => Promise<T> | T): Promise<T> {
      const connection = await hocuspocus.openDirectConnection(docName, { direct: true })
      try {
        if (!connection.document) throw new Error('direct connection closed')
        return await fn(connection.document)
      } finally {
        await connection.disconnect()
      }
    },
  }
}
