import { HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import { ClientWebSocket } from '@mimiverse/server-kit'
import type * as Y from 'yjs'
import { AppError, ErrorCode, type RelativePositionJson } from '@mimiverse/shared'
import type { Collaborators } from './deletion-authors'

/**
 * The agent's connection to one document: the only module that uses the Hocuspocus provider (STYLE: one
 * module wraps each third-party client). The agent is a real collaborator: it authenticates with a collab
 * token, syncs, publishes `user` in awareness like people do (so every editor shows its name and cursor), and
 * leaves by destroying its provider, which removes its awareness state everywhere. It remembers the names the
 * others publish in awareness (by Yjs client id), to say who changed the text under an edit.
 */
export interface CollabSession extends Collaborators {
  /** Resolves once synced with the server; rejects when refused or not reachable within the timeout. */
  synced(): Promise<void>
  /** Resolves once the server has applied every local change (not necessarily stored). */
  acknowledged(): Promise<void>
  setCursor(position: RelativePositionJson | null): void
  /** Publishes the file the agent is working in (`file` in awareness, as people publish theirs). */
  setFile(file: { docName: string; path: string } | null): void
  /** Waits (bounded) for acknowledgement, then disconnects and removes the agent's presence. */
  leave(): Promise<void>
}

export interface JoinOptions {
  url: string
  docName: string
  doc: Y.Doc
  token: () => Promise<string>
  user: { id: string; name: string; color: string } & Record<string, unknown>
  timeoutMs: number
}

export function joinDocument(opts: JoinOptions): CollabSession {
  let refused: AppError | null = null
  let closed = false
  const socket = new HocuspocusProviderWebsocket({
    url: opts.url,
    WebSocketPolyfill: ClientWebSocket,
    minDelay: 100,
    maxDelay: 1000,
    onClose: ({ event }) => {
      // Our close codes 44xx are refusals: final, do not retry.
      if (event.code >= 4400 && event.code < 4500) {
        refused ??= new AppError(ErrorCode.Forbidden, `the collab server refused the agent (${event.reason})`)
        socket.disconnect()
      }
    },
  })
  const provider = new CollabProvider({
    websocketProvider: socket,
    name: opts.docName,
    document: opts.doc,
    token: opts.token,
    onAuthenticationFailed: ({ reason }) => {
      refused = new AppError(ErrorCode.Forbidden, `the collab server refused the agent: ${reason}`)
    },
  })
  provider.attach()
  provider.setAwarenessField('user', opts.user)
  const names = new Map<number, string>()
  const others = () =>
    [...(provider.awareness?.getStates() ?? new Map<number, Record<string, unknown>>())].filter(
      ([id]) => id !== opts.doc.clientID,
    )
  // Only the states that changed are read: awareness changes with every cursor move of every person.
  const remember = ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) {
      const state = provider.awareness?.getStates().get(id)
      const name = id === opts.doc.clientID || !state ? null : nameIn(state)
      if (name && (names.has(id) || names.size < MAX_NAMES)) names.set(id, name)
    }
  }
  provider.awareness?.on('change', remember)

  const waitFor = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (refused) return finish(refused)
        if (done()) return finish(null)
      }
      const finish = (e: AppError | null) => {
        clearInterval(poll)
        clearTimeout(timer)
        provider.off('synced', check)
        provider.off('unsyncedChanges', check)
        if (e) reject(e)
        else resolve()
      }
      // Refusals arrive as socket events; the short poll also notices them without another listener.
      const poll = setInterval(check, 50)
      const timer = setTimeout(
        () =>
          finish(
            new AppError(
              ErrorCode.Unavailable,
              `the agent could not ${what} the collab server at ${opts.url} within ${opts.timeoutMs} ms`,
            ),
          ),
        opts.timeoutMs,
      )
      provider.on('synced', check)
      provider.on('unsyncedChanges', check)
      check()
    })

  return {
    synced: () => waitFor(() => provider.isSynced, 'sync with'),
    acknowledged: () => waitFor(() => provider.isSynced && !provider.hasUnsyncedChanges, 'save to'),
    nameOf: (clientId) => names.get(clientId),
    cursors: () =>
      others().flatMap(([clientId, state]) => {
        const s = state.selection as { anchor?: unknown; head?: unknown } | null | undefined
        return s && typeof s === 'object' ? [{ clientId, anchor: s.anchor, head: s.head }] : []
      }),
    setCursor: (position) => {
      if (!closed)
        provider.setAwarenessField('selection', position ? { anchor: position, head: position } : null)
    },
    setFile: (file) => {
      if (!closed) provider.setAwarenessField('file', file)
    },
    leave: async () => {
      if (closed) return
      try {
        if (!refused) await waitFor(() => provider.isSynced && !provider.hasUnsyncedChanges, 'save to')
      } finally {
        closed = true
        provider.awareness?.off('change', remember)
        provider.destroy()
        socket.destroy()
      }
    },
  }
}

/** Client ids whose names are remembered (the collab server bounds who can be in a document anyway). */
const MAX_NAMES = 1000
/** Longest name kept from another client's awareness state. */
const MAX_NAME_CHARS = 80

/** The display name in an awareness state (`user.name`), without control characters, bounded; else null. */
function nameIn(state: Record<string, unknown>): string | null {
  const user = state.user as { name?: unknown } | null | undefined
  if (typeof user !== 'object' || user === null || typeof user.name !== 'string') return null
  const name = user.name
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_NAME_CHARS)
  return name || null
}
