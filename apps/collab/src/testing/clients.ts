import { HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider'
import { CollabProvider } from '@mimiverse/shared/collab-provider'
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import { ClientWebSocket } from '@mimiverse/server-kit'
import * as Y from 'yjs'
import { CloseCode, CONTENT_FIELD } from '@mimiverse/shared'
import type { AppRouter } from '../router'

/**
 * Real clients for tests and benchmarks: the tRPC client over HTTP and Hocuspocus providers over WebSockets,
 * exactly as the web app and other tools use them.
 */
export type ApiClient = ReturnType<typeof apiClient>

export function apiClient(baseUrl: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  })
}

/** The tRPC error code (`FORBIDDEN`, `BAD_REQUEST`, …) a call failed with. */
export async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call
  } catch (e: unknown) {
    if (e instanceof TRPCClientError) return String((e.data as { code?: string } | undefined)?.code)
    throw e
  }
  throw new Error('expected the call to fail')
}

export interface TestUser {
  id: string
  name: string
  /** Signs in again with `TEST_PASSWORD` (another device of the same person). */
  email: string
  token: string
  api: ApiClient
}

let userCounter = 0

/** Every test user's password. */
export const TEST_PASSWORD = 'correct horse battery'

/** Signs up a fresh user. */
export async function signUp(baseUrl: string, name = `user${++userCounter}`): Promise<TestUser> {
  const email = `${name.toLowerCase()}-${Date.now()}-${++userCounter}@example.com`
  const { user, token } = await apiClient(baseUrl).auth.signUp.mutate({
    email,
    password: TEST_PASSWORD,
    name,
  })
  return { id: user.id, name: user.name, email, token, api: apiClient(baseUrl, token) }
}

export interface Peer {
  provider: CollabProvider
  socket: HocuspocusProviderWebsocket
  doc: Y.Doc
  text: Y.Text
  /** Resolves once the provider has synced with the server. */
  synced(): Promise<void>
  /** Resolves once every local edit has been acknowledged by the server. */
  acknowledged(): Promise<void>
  /**
   * Drops the connection and resolves once it is closed. (Calling `socket.connect()` before the close event
   * arrives is a no-op in the provider, which would then stay offline.)
   */
  goOffline(): Promise<void>
  /** Reconnects; resolves once the socket is open again. */
  goOnline(): Promise<void>
  /** Close codes the socket saw, newest last. */
  closeCodes: number[]
  /** Reasons the server refused authentication. */
  refusals: string[]
  destroy(): void
}

/** Connects a Hocuspocus provider to `docName` through the server's `/collab` endpoint. */
export function connectPeer(opts: {
  baseUrl: string
  docName: string
  /** A fixed token, or a function that fetches a fresh one on each (re)connect. */
  token: string | (() => Promise<string>)
  /** Published as the awareness `user`; the server holds it to the token's user id and name. */
  user?: { id: string; name: string }
  /** An existing document, e.g. to reconnect a client to another node with its unsent edits. */
  doc?: Y.Doc
}): Peer {
  const closeCodes: number[] = []
  const refusals: string[] = []
  const socket = new HocuspocusProviderWebsocket({
    url: `${opts.baseUrl.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: ClientWebSocket,
    // Tests reconnect quickly; the defaults back off for up to 30 s.
    delay: 50,
    minDelay: 50,
    maxDelay: 500,
    onClose: ({ event }) => {
      closeCodes.push(event.code)
      // A refusal is final: stop the provider's reconnect loop, as the web app does. A 4401 with a token
      // function is not: the next attempt fetches a fresh token.
      const final = [CloseCode.Forbidden, CloseCode.DocumentNotFound, CloseCode.MalformedMessage] as number[]
      if (
        final.includes(event.code) ||
        (event.code === CloseCode.Unauthorized && typeof opts.token === 'string')
      ) {
        socket.disconnect()
      }
    },
  })
  const doc = opts.doc ?? new Y.Doc()
  const provider = new CollabProvider({
    websocketProvider: socket,
    name: opts.docName,
    document: doc,
    token: opts.token,
    onAuthenticationFailed: ({ reason }) => refusals.push(reason),
  })
  provider.attach()
  if (opts.user) provider.setAwarenessField('user', { id: opts.user.id, name: opts.user.name })
  // Resolves when `done()` holds, re-checked on every sync and acknowledgement event.
  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      if (done()) return resolve()
      const check = () => {
        if (!done()) return
        provider.off('synced', check)
        provider.off('unsyncedChanges', check)
        resolve()
      }
      provider.on('synced', check)
      provider.on('unsyncedChanges', check)
    })
  return {
    provider,
    socket,
    doc,
    text: doc.getText(CONTENT_FIELD),
    closeCodes,
    refusals,
    synced: () => waitFor(() => provider.isSynced),
    acknowledged: () => waitFor(() => provider.isSynced && !provider.hasUnsyncedChanges),
    goOffline: () =>
      new Promise<void>((resolve) => {
        if (socket.status === WebSocketStatus.Disconnected) return resolve()
        const done = () => {
          socket.off('disconnect', done)
          resolve()
        }
        socket.on('disconnect', done)
        socket.disconnect()
      }),
    goOnline: async () => {
      await socket.connect()
    },
    destroy: () => {
      provider.destroy()
      socket.destroy()
    },
  }
}
