import * as Y from 'yjs'
import { connectPeer } from '../src/testing/clients'
import { startHumanPacing } from './human-pacing'
import type { TypingSpec, UserSpec } from './load-protocol'
import type { BenchClient } from './workspace'

/**
 * One simulated user of `bench:load`, as the web app behaves: its own provider, socket and Y.Doc; it types
 * one character at a time after its own last character and, with each keystroke, moves its cursor there, which
 * the provider sends as an awareness update (the cursor as Yjs relative positions, as y-monaco shares it).
 */
export interface LoadUser extends BenchClient {
  node: number
  /** Starts typing; `onKeystroke` runs right before each insert (to time it). */
  startTyping(spec: TypingSpec, random: () => number, onKeystroke: (user: LoadUser) => void): void
  destroy(): void
}

/** What the users type, over and over: a line of code, so the stored documents read like one. */
const LINE = 'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0)\n'

export function connectUser(spec: UserSpec): LoadUser {
  const peer = connectPeer({
    baseUrl: spec.nodeUrl,
    docName: spec.docName,
    token: spec.token,
    user: spec.user,
  })
  let stop: (() => void) | undefined
  let typed = 0
  // Where this user types: right after its own last character. People in one file type in different places;
  // five users inserting at the same spot would interleave every character, which no editor session does (and
  // which costs Yjs far more than typing does: no two neighbouring characters could merge into one item).
  let cursor: Y.RelativePosition | undefined
  const user: LoadUser = {
    peer,
    file: spec.file,
    node: spec.node,
    startTyping: (typing, random, onKeystroke) => {
      stop = startHumanPacing({
        ...typing,
        random,
        tick: () => {
          onKeystroke(user)
          const at =
            (cursor && Y.createAbsolutePositionFromRelativePosition(cursor, peer.doc)?.index) ??
            peer.text.length
          peer.text.insert(at, LINE[typed++ % LINE.length]!)
          cursor = Y.createRelativePositionFromTypeIndex(peer.text, at + 1, -1)
          moveCursor(peer.provider, cursor)
        },
      })
    },
    destroy: () => {
      stop?.()
      peer.destroy()
    },
  }
  return user
}

/** A collapsed selection after the typed character: what an editor shares after each keystroke. */
function moveCursor(
  provider: { setAwarenessField(key: string, value: unknown): void },
  cursor: Y.RelativePosition,
): void {
  const at = Y.relativePositionToJSON(cursor)
  provider.setAwarenessField('cursor', { anchor: at, head: at })
}
