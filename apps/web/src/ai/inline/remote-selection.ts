import * as Y from 'yjs'
import type { DocSession } from '../../collab/doc-session'

/**
 * Whether `offset` lies inside a non-empty selection of another client of the document (from awareness, as
 * y-monaco publishes it: relative `anchor` and `head`). Someone is working there: no completion is offered.
 * Awareness is written by other clients: a malformed entry is ignored.
 */
export function insideRemoteSelection(session: DocSession, offset: number): boolean {
  for (const [clientId, state] of session.awareness.getStates()) {
    if (clientId === session.doc.clientID) continue
    const sel = (state as { selection?: { anchor?: unknown; head?: unknown } | null }).selection
    if (!sel?.anchor || !sel.head) continue
    const a = absolute(sel.anchor, session.doc)
    const h = absolute(sel.head, session.doc)
    if (a === null || h === null || a === h) continue
    if (offset >= Math.min(a, h) && offset <= Math.max(a, h)) return true
  }
  return false
}

function absolute(rel: unknown, doc: Y.Doc): number | null {
  try {
    return Y.createAbsolutePositionFromRelativePosition(rel as Y.RelativePosition, doc)?.index ?? null
  } catch {
    return null
  }
}
