import { HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider'
import { openDocSession, type DocSession } from './doc-session'
import { LocalStore } from './local-copy'
import { classifyRefusal, closeNeedsFreshToken, Refusal } from './refusal'
import { createTokenCache, type IssuedToken } from './token-cache'
import { AwarenessField, type AwarenessUser, type CurrentFile } from './presence'

/**
 * The project's collaboration connection: one WebSocket (HocuspocusProviderWebsocket) that multiplexes one
 * provider per open file. This module is the only one that knows Hocuspocus; the UI reads snapshots from it.
 *
 * Flow: `open(docName)` attaches a provider, which authenticates with the project's collab token and syncs.
 * When the socket drops, the provider keeps local edits in its Y.Doc; on reconnect each provider re-sends its
 * token and runs the sync handshake again, which uploads whatever the server has not acknowledged.
 */
/** `idle` until the first file is opened: the socket connects on demand. */
export type ConnectionStatus = 'idle' | 'connected' | 'reconnecting' | 'offline'

export interface ConnectionSnapshot {
  status: ConnectionStatus
  /** Local edits not yet acknowledged by the server, over all open files. */
  unsynced: number
  /** Every open file has finished its first sync. */
  synced: boolean
  /** Whether the collab WebSocket is open (the browser can believe it is online while it is not, and back). */
  socketOpen: boolean
  /** Whether this browser keeps copies of open documents (IndexedDB), so unsynced edits survive a reload. */
  localCopies: boolean
  /** Some open file's latest changes are still being written to this browser's copy. */
  keeping: boolean
  /** Some open file shows this browser's copy and has not synced with the server yet. */
  fromLocalCopy: boolean
}

export interface CollabConnectionOptions {
  /** `ws(s)://host/collab`. */
  url: string
  user: { id: string; name: string }
  fetchToken: () => Promise<IssuedToken>
  /** The server refused a document for good (file deleted, access lost). */
  onRefused: (docName: string, refusal: Refusal) => void
}

/** How long to wait before asking for a token again when the API could not be reached. */
const TOKEN_RETRY_MS = 2000

export class CollabConnection {
  private readonly socket: HocuspocusProviderWebsocket
  private readonly sessions = new Map<string, DocSession>()
  private readonly tokens
  private readonly listeners = new Set<() => void>()
  private readonly awarenessListeners = new Set<() => void>()
  private readonly statelessListeners = new Set<(payload: string) => void>()
  private snapshotCache: ConnectionSnapshot | null = null
  private file: CurrentFile | null = null
  private started = false
  private readonly local: LocalStore | undefined

  constructor(private readonly opts: CollabConnectionOptions) {
    this.tokens = createTokenCache(opts.fetchToken)
    this.local = typeof indexedDB === 'undefined' ? undefined : new LocalStore(opts.user.id, this.changed)
    this.socket = new HocuspocusProviderWebsocket({
      url: opts.url,
      // Connect on the first open(): connecting here and attaching the first provider in the same tick makes the
      // provider open two sockets and drop one (attach() reconnects while the first attempt is still pending).
      autoConnect: false,
      // The defaults back off to 30 s; an editor should be back within seconds of the network returning.
      delay: 500,
      minDelay: 500,
      maxDelay: 5000,
      onStatus: this.changed,
      // A changed role (4409) or an ended session: the reconnect must not reuse the cached token.
      onClose: ({ event }) => {
        if (closeNeedsFreshToken(event.code)) this.tokens.invalidate()
      },
    })
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.changed)
  }

  /** Opens (or returns the already open) session for a file. */
  open(docName: string): DocSession {
    const existing = this.sessions.get(docName)
    if (existing) return existing
    const session = openDocSession({
      docName,
      socket: this.socket,
      token: () => this.tokens.get(),
      onChange: this.changed,
      onRefused: (reason) => this.refused(docName, reason),
      onClosedByServer: () => this.opts.onRefused(docName, Refusal.FileGone),
      onStateless: this.stateless,
      local: this.local,
    })
    session.awareness.setLocalStateField(AwarenessField.User, this.awarenessUser())
    session.awareness.setLocalStateField(AwarenessField.File, this.file)
    session.awareness.on('change', this.awarenessChanged)
    this.sessions.set(docName, session)
    this.start()
    this.changed()
    return session
  }

  /**
   * Opens a document that is no file tab (the project's commit message). It is kept apart from `all()`: the
   * editor's tab reconciliation never closes it and presence does not read it. The caller destroys it; `onChange`
   * hears its sync state, and a refusal for good goes to `onRefused`, not to the connection's file handler.
   */
  openAside(
    docName: string,
    events: { onChange: () => void; onRefused: (refusal: Refusal) => void },
  ): DocSession {
    const { onRefused } = events
    const session = openDocSession({
      docName,
      socket: this.socket,
      token: () => this.tokens.get(),
      onChange: events.onChange,
      onRefused: (reason) => {
        const refusal = classifyRefusal(reason)
        if (refusal === Refusal.BadToken) this.tokens.invalidate()
        if (refusal === Refusal.FileGone || refusal === Refusal.NoAccess) onRefused(refusal)
      },
      onClosedByServer: () => onRefused(Refusal.FileGone),
      onStateless: this.stateless,
    })
    session.awareness.setLocalStateField(AwarenessField.User, this.awarenessUser())
    this.start()
    return session
  }

  close(docName: string): void {
    const session = this.sessions.get(docName)
    if (!session) return
    session.awareness.off('change', this.awarenessChanged)
    session.destroy()
    this.sessions.delete(docName)
    this.changed()
    this.awarenessChanged()
  }

  get(docName: string): DocSession | undefined {
    return this.sessions.get(docName)
  }

  all(): DocSession[] {
    return [...this.sessions.values()]
  }

  /** Tells every open document which file this user is looking at (the presence list reads it). */
  setCurrentFile(file: CurrentFile | null): void {
    this.file = file
    for (const s of this.sessions.values()) s.awareness.setLocalStateField(AwarenessField.File, file)
  }

  snapshot(): ConnectionSnapshot {
    this.snapshotCache ??= this.computeSnapshot()
    return this.snapshotCache
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Stateless messages the server sends on any open document (one per document holding it: a project-wide
   * announcement arrives once per open file, so listeners should be idempotent).
   */
  subscribeStateless(listener: (payload: string) => void): () => void {
    this.statelessListeners.add(listener)
    return () => this.statelessListeners.delete(listener)
  }

  subscribeAwareness(listener: () => void): () => void {
    this.awarenessListeners.add(listener)
    return () => this.awarenessListeners.delete(listener)
  }

  destroy(): void {
    for (const docName of [...this.sessions.keys()]) this.close(docName)
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.changed)
    this.socket.destroy()
    this.local?.close()
    this.listeners.clear()
    this.awarenessListeners.clear()
  }

  /** Connects the socket on the first document opened. */
  private start(): void {
    if (this.started) return
    this.started = true
    void this.socket.connect()
  }

  private awarenessUser(): AwarenessUser {
    const { id, name } = this.opts.user
    return { id, name, color: '' }
  }

  private computeSnapshot(): ConnectionSnapshot {
    const sessions = [...this.sessions.values()]
    const online = navigator.onLine
    const connected = this.socket.status === WebSocketStatus.Connected
    return {
      status: !online ? 'offline' : connected ? 'connected' : this.started ? 'reconnecting' : 'idle',
      unsynced: sessions.reduce((n, s) => n + s.unsynced(), 0),
      synced: sessions.every((s) => s.isSynced()),
      socketOpen: connected,
      localCopies: this.local !== undefined,
      keeping: sessions.some((s) => s.keeping()),
      fromLocalCopy: sessions.some((s) => s.fromLocalCopy()),
    }
  }

  private readonly changed = () => {
    this.snapshotCache = null
    this.listeners.forEach((l) => l())
  }

  private readonly awarenessChanged = () => this.awarenessListeners.forEach((l) => l())
  private readonly stateless = (payload: string) => this.statelessListeners.forEach((l) => l(payload))

  /** The browser says the network is back: reconnect now instead of waiting for the back-off timer. */
  private readonly onOnline = () => {
    this.changed()
    if (this.socket.status !== WebSocketStatus.Connected) void this.socket.connect()
  }

  private refused(docName: string, reason: string): void {
    const refusal = classifyRefusal(reason)
    if (refusal === Refusal.BadToken) this.tokens.invalidate()
    if (refusal === Refusal.TokenUnavailable) this.retryAuth(docName)
    if (refusal === Refusal.FileGone || refusal === Refusal.NoAccess) {
      // Detach before the server closes the shared socket, or the reconnect would ask for this document again.
      this.close(docName)
      this.opts.onRefused(docName, refusal)
    }
  }

  /** The provider gives up when its token callback throws; ask again once the API may be back. */
  private retryAuth(docName: string): void {
    setTimeout(() => {
      const session = this.sessions.get(docName)
      if (!session || session.provider.isAuthenticated || this.socket.status !== WebSocketStatus.Connected)
        return
      void session.provider.sendToken().then(() => session.provider.startSync())
    }, TOKEN_RETRY_MS)
  }
}
