import { WebSocketStatus, type HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { LocalStore } from './local-copy'

/** One open file: its Yjs document, the shared text, and the provider that syncs it over the project socket. */
export interface DocSession {
  docName: string
  doc: Y.Doc
  text: Y.Text
  awareness: Awareness
  provider: CollabProvider
  /** True after the first sync with the server. */
  isSynced(): boolean
  /**
   * Whether an editor may be bound (y-monaco replaces its text with the document's): after the first sync, or
   * once this browser's copy of the document has been loaded (offline, after a reload).
   */
  isReady(): boolean
  /** Whether changes of this document are still to be written to this browser's copy. */
  keeping(): boolean
  /** Shown from this browser's copy, not yet synced with the server. */
  fromLocalCopy(): boolean
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
  /** This browser's copies of documents; none: nothing is kept beyond the page. */
  local?: LocalStore
}

/** The origin of a stored copy applied after the first sync: a local change the provider sends. */
const LOCAL_COPY_ORIGIN = 'local-copy'

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
  const local = opts.local?.open(opts.docName, doc)
  let destroyed = false
  let restored = false
  void local?.load().then((state) => {
    if (!state || destroyed) return
    // Before the first sync, applied as if it came from the server: the provider does not send it as one
    // update (the whole document); its answer to the server's sync step 1 carries what the server lacks.
    // After it, applied as a local change: its update event carries only what the server has not seen.
    Y.applyUpdate(doc, state, provider.isSynced ? LOCAL_COPY_ORIGIN : provider)
    restored = true
    opts.onChange()
  })
  return {
    docName: opts.docName,
    doc,
    text: doc.getText(CONTENT_FIELD),
    awareness: provider.awareness!,
    provider,
    isSynced: () => provider.isSynced,
    isReady: () => provider.isSynced || restored,
    keeping: () => local?.pending() ?? false,
    fromLocalCopy: () => restored && !provider.isSynced,
    unsynced: () => provider.unsyncedChanges,
    destroy: () => {
      destroyed = true
      local?.destroy()
      provider.destroy()
      doc.destroy()
    },
  }
}
