import * as Y from 'yjs'
import { CONTENT_FIELD } from '@mimiverse/shared'

/**
 * Two Y.Docs kept in sync in memory, as the agent's and a person's copy of one document: each change of one is
 * applied to the other as a remote update (a non-local transaction, as a provider applies it).
 */
export function docPair(initial: string) {
  const agent = new Y.Doc()
  const human = new Y.Doc()
  human.getText(CONTENT_FIELD).insert(0, initial)
  Y.applyUpdate(agent, Y.encodeStateAsUpdate(human))
  agent.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(human, u, 'remote'),
  )
  human.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(agent, u, 'remote'),
  )
  return { agent, human, a: agent.getText(CONTENT_FIELD), h: human.getText(CONTENT_FIELD) }
}
