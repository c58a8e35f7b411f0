import { WebSocketStatus, type HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { CONTENT_FIELD } from '@mimiverse/shared'

/** One open file: its Yjs document, the shared text, and the provider that syncs it over the project socket. */
export interface DocSession {
  docName: string
  doc: Y.Doc
  text: Y.Text
  awareness: Awareness
  provider: CollabProvider
  /** True after the first sync with the server: only then may an editor be bound (y-monaco replaces its text). */
  isSynced(): boolean
  /** Local edits the server has not acknowledged yet. */
  unsynced(): number
  destroy(): void
}

export interface DocSessionOptions {
  docName: string
  socket: HocuspocusProviderWebsocket
  token: () => Promise<string>
  onChange: () => void
  onRefused: (reason: string) => void
  onClosedByServer: () => void
  /** A stateless message the server sent on this document (e.g. that the project's comments changed). */
  onStateless: (payload: string) => void
}

/** Attaches a provider for `docName` to the shared socket (multiplexing: one socket, one provider per file). */
export function openDocSession(opts: DocSessionOptions): DocSession {
  const doc = new Y.Doc()
  const provider = new CollabProvider({
    websocketProvider: opts.socket,
    name: opts.docName,
    document: doc,
    token: opts.token,
    onSynced: opts.onChange,
    onUnsyncedChanges: opts.onChange,
    onAuthenticationFailed: ({ reason }) => opts.onRefused(reason),
    onStateless: ({ payload }) => opts.onStateless(payload),
    onClose: ({ event }) => {
      // A per-document Close message (the file was deleted) arrives with the socket still open.
      if (opts.socket.status === WebSocketStatus.Connected && event.code === 1000) opts.onClosedByServer()
    },
  })
  provider.attach()
  return {
    docName: opts.docName,
    doc,
    text: doc.getText(CONTENT_FIELD),
    awareness: provider.awareness!,
    provider,
    isSynced: () => provider.isSynced,
    unsynced: () => provider.unsyncedChanges,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}
