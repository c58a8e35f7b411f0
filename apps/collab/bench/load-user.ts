import * as Y from 'yjs'
import { connectPeer } from '../src/testing/clients'
import { startHumanPacing } from './human-pacing'
import type { TypingSpec, UserSpec } from './load-protocol'
import type { BenchClient } from './workspace'

/**
 * One simulated user of `bench:load`, as the web app behaves: its own provider, socket and Y.Doc; it types
 * one character at a time at the end of its document and, with each keystroke, moves its cursor there, which
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
    name: spec.name,
  })
  let stop: (() => void) | undefined
  let typed = 0
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
          peer.text.insert(peer.text.length, LINE[typed++ % LINE.length]!)
          moveCursor(peer.provider, peer.text)
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

/** A collapsed selection at the end of the text: what an editor shares after each typed character. */
function moveCursor(provider: { setAwarenessField(key: string, value: unknown): void }, text: Y.Text): void {
  const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length))
  provider.setAwarenessField('cursor', { anchor: at, head: at })
}
