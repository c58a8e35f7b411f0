import type * as Y from 'yjs'
import {
  Connection,
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Extension,
} from '@hocuspocus/server'
import { AuthorKind, type Author } from '@mimiverse/db'
import { REDIS_ORIGIN } from '../patches/redis-origin'
import { SNAPSHOT_ORIGIN } from '../services/doc-store'
import { AuthoredOrigin, observe, SERVER_AUTHOR, type AuthorshipRecorder } from '../services/authorship'
import type { CollabContext } from './auth'

/** The author of a connection, from what authentication put in its context. */
export function connectionAuthor(context: Partial<CollabContext>): Author | null {
  if (context.workspace) return { kind: AuthorKind.Mirror, userId: null, runId: null }
  if (!context.user) return null
  if (context.agentRunId)
    return { kind: AuthorKind.Agent, userId: context.user.id, runId: context.agentRunId }
  return { kind: AuthorKind.User, userId: context.user.id, runId: null }
}

/** Who a transaction is by, or null for one already recorded elsewhere (stored state, another node). */
function authorOf(origin: unknown): Author | null {
  if (origin instanceof Connection) return connectionAuthor(origin.context as Partial<CollabContext>)
  if (origin instanceof AuthoredOrigin) return origin.author
  if (origin === REDIS_ORIGIN || origin === SNAPSHOT_ORIGIN) return null
  return SERVER_AUTHOR
}

/**
 * Attributes every change of a live document to the authenticated connection whose update made it, by
 * watching the document's transactions: a transaction's before and after state vectors say exactly which
 * items were new to this document, so items a client merely relays (already known) are never credited to it.
 * Loading stored state happens before this hook and is not recorded again; updates from other nodes (Redis)
 * were recorded by the node their client is on.
 */
export class AuthorshipExtension implements Extension {
  extensionName = 'authorship'

  constructor(private readonly recorder: AuthorshipRecorder) {}

  afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    document.on('afterTransaction', (tr: Y.Transaction) => {
      const author = authorOf(tr.origin)
      if (!author) return
      const edit = observe(tr)
      if (edit) this.recorder.record(documentName, author, edit)
    })
    return Promise.resolve()
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    await this.recorder.forget(documentName)
  }

  async onDestroy(): Promise<void> {
    await this.recorder.stop()
  }
}
