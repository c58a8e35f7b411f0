import * as Y from 'yjs'
import type { DocSession } from '../collab/doc-session'
import { readUser } from '../collab/presence'

/**
 * Where a person's caret is in one open file, as an offset into its text, or `null` when they have no cursor
 * there. The position is relative (a Yjs item id) in their awareness state, so it is resolved against our doc.
 */
export function caretOffsetOf(session: DocSession, userId: string): number | null {
  for (const [clientId, state] of session.awareness.getStates()) {
    if (clientId === session.doc.clientID || readUser(state)?.id !== userId) continue
    const head = (state as { selection?: { head?: unknown } | null }).selection?.head
    if (!head) continue
    try {
      const abs = Y.createAbsolutePositionFromRelativePosition(
        Y.createRelativePositionFromJSON(head),
        session.doc,
      )
      if (abs && abs.type === session.text) return abs.index
    } catch {
      // A malformed position from a peer: no caret to follow.
    }
  }
  return null
}
