import * as Y from 'yjs'
import type { beforeHandleMessagePayload, Extension } from '@hocuspocus/server'
import { CloseCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { closeSocket } from '../protocol/frame-guard'
import { clientUpdate } from './durable-log'

const REASON = 'update cannot be applied'

/**
 * Applies each client update to the live document itself, right after the durable log committed it, so that a
 * throw is seen. Hocuspocus applies updates through y-protocols, which catches a throw, prints it and lets
 * Hocuspocus acknowledge the update as if it had been applied: the client would believe its edit saved.
 *
 * The frame check refuses the updates known to throw before anything is stored (`protocol/update-check.ts`);
 * this is the last line for what it cannot foresee. A throw here closes the connection with 4400, logs an error
 * and is counted; the update is not acknowledged, and since 4400 is final the provider does not resend it. It is
 * in the log already: every later replay leaves it out and the collab server moves it to quarantine. What it
 * changed in the live document before it threw stays there (Yjs cannot roll back an update).
 *
 * Hocuspocus applies the same update again afterwards; updates are idempotent, so that finds nothing new (about
 * 4 µs for a keystroke). Placed right after `DurableLogExtension`, which resolves hooks in arrival order, so
 * updates are applied in that order, each after its append.
 */
export class LiveApplyExtension implements Extension {
  extensionName = 'live-apply'

  constructor(private readonly deps: { log: Logger; onThrow?: () => void }) {}

  beforeHandleMessage({
    update: frame,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload): Promise<void> {
    const update = clientUpdate(frame, connection)
    try {
      if (update) Y.applyUpdate(document, update, connection)
      return Promise.resolve()
    } catch (e: unknown) {
      this.deps.log.error('an update threw on the live document; closing the connection', {
        doc: documentName,
        error: e,
      })
      this.deps.onThrow?.()
      closeSocket(connection.webSocket, CloseCode.MalformedMessage, REASON)
      // Hocuspocus closes the connection with the rejection's `code` and `reason`.
      return Promise.reject(
        Object.assign(new Error(REASON), { code: CloseCode.MalformedMessage, reason: REASON }),
      )
    }
  }
}
