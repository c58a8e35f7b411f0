import { HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { ClientWebSocket } from '@mimiverse/server-kit'
import * as Y from 'yjs'
import { applyTextOps, CONTENT_FIELD, textEdits, transactions } from '@mimiverse/shared'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import { CliError } from './api'

/**
 * Writes new text into files' live documents as a collaborator: the CLI joins each document like an editor
 * tab does (Hocuspocus provider over `/collab`, one WebSocket for all documents), waits for the server's
 * state, applies only the edits between that state and the new text in one transaction, and waits until the
 * server has acknowledged them. People editing the file at the same time see an edit made by the user (in
 * presence under the account's own name, the only one the server accepts), not a replaced document, and their
 * own concurrent edits merge as usual. This is the one module that talks to the provider.
 */
export interface DocWriter {
  /** Makes the document's text equal `text`; resolves once the server has it. Returns the edits made. */
  write(docName: string, text: string): Promise<number>
  close(): void
}

/**
 * Inserted characters per update (UTF-16 units, at most 3 UTF-8 bytes each: under 800 KB), so an update fits in
 * COLLAB_MAX_MESSAGE_BYTES (default 8 MiB, and even a server set down to 1 MiB), which closes a connection that
 * sends more.
 */
const MAX_CHARS_PER_UPDATE = 256 * 1024

/** How long to wait for a document to sync or an edit to be acknowledged before giving up, in ms. */
const WAIT_MS = 30_000

export function createDocWriter(options: {
  server: string
  /** Fetches a collab token; called again on every reconnect (tokens are short-lived). */
  token: () => Promise<string>
  user: { id: string; name: string }
}): DocWriter {
  // Opened on the first write: a run with nothing to update never connects.
  let socket: HocuspocusProviderWebsocket | null = null
  const connect = () =>
    (socket ??= new HocuspocusProviderWebsocket({
      url: `${options.server.replace(/^http/, 'ws')}/collab`,
      // Node 20 has no global WebSocket.
      WebSocketPolyfill: ClientWebSocket,
    }))
  return {
    write: async (docName, text) => {
      const websocketProvider = connect()
      const doc = new Y.Doc()
      const failure = { reason: '' }
      const provider = new CollabProvider({
        websocketProvider,
        name: docName,
        document: doc,
        token: options.token,
        onAuthenticationFailed: ({ reason }) => (failure.reason = reason || 'refused'),
      })
      provider.attach()
      provider.setAwarenessField('user', { id: options.user.id, name: options.user.name })
      try {
        await until(provider, failure, () => provider.isSynced, 'load')
        const content = doc.getText(CONTENT_FIELD)
        const edits = textEdits(content.toString(), text)
        for (const batch of transactions(edits, MAX_CHARS_PER_UPDATE)) {
          doc.transact(() => applyTextOps(content, batch))
        }
        await until(provider, failure, () => provider.isSynced && !provider.hasUnsyncedChanges, 'save')
        return edits.length
      } finally {
        provider.destroy()
        doc.destroy()
      }
    },
    close: () => socket?.destroy(),
  }
}

/** Resolves once `done()` holds (re-checked on sync events); rejects on refusal or after WAIT_MS. */
function until(
  provider: CollabProvider,
  failure: { reason: string },
  done: () => boolean,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer)
      for (const event of ['synced', 'unsyncedChanges', 'authenticationFailed'] as const)
        provider.off(event, check)
      if (error) reject(error)
      else resolve()
    }
    const check = () => {
      if (failure.reason) finish(new CliError(`the server refused the edit: ${failure.reason}`))
      else if (done()) finish()
    }
    const timer = setTimeout(
      () =>
        finish(
          new CliError(
            `timed out after ${WAIT_MS / 1000} s waiting to ${what} ${provider.configuration.name}`,
          ),
        ),
      WAIT_MS,
    )
    for (const event of ['synced', 'unsyncedChanges', 'authenticationFailed'] as const)
      provider.on(event, check)
    check()
  })
}
