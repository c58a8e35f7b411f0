import { HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import { ClientWebSocket } from '@mimiverse/server-kit'
import type * as Y from 'yjs'
import { WORKSPACE_USER } from '@mimiverse/shared'

/**
 * The mirror's connection to one project's documents: one WebSocket, one provider per file (the only module
 * that uses the Hocuspocus provider). It authenticates with a workspace token signed with the server's secret
 * and publishes `WORKSPACE_USER` in awareness, so its edits are attributed to "Workspace" in every editor.
 */
export interface CollabLink {
  /**
   * Joins a document; resolves once synced, rejects when refused or not synced within `timeoutMs`. A refusal
   * after that (the file was deleted, the database was briefly unreachable) leaves the document and calls
   * `onLost`: a refused document's provider would otherwise be refused again at every reconnect.
   */
  join(docName: string, doc: Y.Doc, onLost: (reason: string) => void): Promise<DocumentLink>
  close(): void
}

export interface DocumentLink {
  /** Whether every local change has been acknowledged by the server. */
  readonly saved: boolean
  leave(): void
}

export function openCollabLink(options: { url: string; token: () => string; timeoutMs: number }): CollabLink {
  const socket = new HocuspocusProviderWebsocket({
    url: options.url,
    WebSocketPolyfill: ClientWebSocket,
    minDelay: 50,
    maxDelay: 1000,
  })
  return {
    join: (docName, doc, onLost) =>
      new Promise<DocumentLink>((resolve, reject) => {
        const provider = new CollabProvider({
          websocketProvider: socket,
          name: docName,
          document: doc,
          token: () => Promise.resolve(options.token()),
          onAuthenticationFailed: ({ reason }) => fail(new Error(`refused: ${reason || 'no reason given'}`)),
          onSynced: ({ state }) => {
            if (!state) return
            synced = true
            clearTimeout(timer)
            resolve(link)
          },
        })
        const link: DocumentLink = {
          get saved() {
            return provider.isSynced && !provider.hasUnsyncedChanges
          },
          leave: () => provider.destroy(),
        }
        let synced = false
        const fail = (e: Error) => {
          clearTimeout(timer)
          provider.destroy()
          if (synced) onLost(e.message)
          else reject(e)
        }
        const timer = setTimeout(
          () => fail(new Error(`not synced within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        )
        provider.attach()
        provider.setAwarenessField('user', { id: WORKSPACE_USER.id, name: WORKSPACE_USER.name })
      }),
    close: () => socket.destroy(),
  }
}
