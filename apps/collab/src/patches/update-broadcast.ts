import {
  OutgoingMessage,
  type afterLoadDocumentPayload,
  type Document,
  type Extension,
} from '@hocuspocus/server'
import type { Logger } from '@mimiverse/server-kit'
import { replaceListener } from './replace-listener'

/**
 * Sends each document update to every connection of the document except the one it came from.
 *
 * Hocuspocus 3.4.4 broadcasts an update to all of the document's connections, its sender included
 * (`Document.handleUpdate`). The sender already holds it; it is acknowledged separately (SyncStatus, once the
 * durable log has committed it). With five people in a file, that echo was a fifth of the update frames the
 * server wrote, and each came back to the client that typed it only to be decoded and dropped. Updates that did
 * not come from a connection here (other nodes' over Redis, server-side edits) still go to everyone.
 */
export class UpdateBroadcastExtension implements Extension {
  extensionName = 'update-broadcast'

  constructor(private readonly deps: { log: Logger }) {}

  afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    if (!replaceListener(document, 'update', 'bound handleUpdate', broadcastExceptOrigin(document)))
      this.deps.log.warn('updates echo to their sender: Hocuspocus has no handleUpdate listener')
    return Promise.resolve()
  }
}

function broadcastExceptOrigin(document: Document) {
  return (update: Uint8Array, origin: unknown) => {
    // What Hocuspocus' own listener does first: its onChange hooks and the store debounce hang on it.
    document.callbacks.onUpdate(document, origin as never, update)
    const frame = new OutgoingMessage(document.name).createSyncMessage().writeUpdate(update).toUint8Array()
    for (const connection of document.getConnections()) if (connection !== origin) connection.send(frame)
  }
}
