import { CloseCode } from '@mimiverse/shared'
import {
  TERMINAL_PATH,
  type TerminalClientMessage,
  type TerminalInfo,
  type TerminalPerson,
  type TerminalServerMessage,
} from '@mimiverse/shared/terminal-protocol'

/**
 * The browser end of the shared-terminal channel (protocol: `@mimiverse/shared/terminal-protocol`): one
 * WebSocket per open project, authenticated with the project's collab token, reconnecting with backoff until a
 * refusal is final. Terminal output is handed to the view that shows the terminal; until one attaches, it is
 * kept (the last screen and what followed, bounded).
 */
export interface ChannelState {
  status: 'connecting' | 'open' | 'closed'
  /** Set after `hello`. */
  canWrite: boolean
  available: boolean
  /** Why terminals are not available, or why the channel closed for good. */
  reason: string | null
  terminals: TerminalInfo[]
  maxTerminals: number
  /** Who typed last in each terminal, and when (ms). */
  typing: Record<string, { user: TerminalPerson; at: number }>
  /** The last error the server answered with. */
  error: string | null
  /** Connection attempts that failed in a row (a deployment without terminals never answers). */
  failures: number
}

/** What a view receives: `reset` before a full screen, then data to write. */
export type TerminalSink = (data: string, reset: boolean) => void

/** Output kept for a terminal no view shows yet; beyond it the oldest is dropped until the next screen. */
const MAX_PENDING_CHARS = 2 * 1024 * 1024
/** Characters per input message: even escaped as JSON (6 bytes each at worst) well under the frame limit. */
const INPUT_CHUNK_CHARS = 4096
const FINAL_CODES: number[] = [CloseCode.Forbidden, CloseCode.MalformedMessage]

export interface TerminalChannel {
  state(): ChannelState
  subscribe(listener: () => void): () => void
  /** Attaches the view of a terminal; returns the function that detaches it. */
  attach(id: string, sink: TerminalSink): () => void
  send(message: Exclude<TerminalClientMessage, { type: 'auth' }>): void
  /** Sends typed text, cut to the server's message size. */
  input(id: string, data: string): void
  close(): void
}

/** The state before the server said hello. */
export const CONNECTING: ChannelState = {
  status: 'connecting',
  canWrite: false,
  available: false,
  reason: null,
  terminals: [],
  maxTerminals: 0,
  typing: {},
  error: null,
  failures: 0,
}

export function connectTerminalChannel(projectId: string, token: () => Promise<string>): TerminalChannel {
  let state = CONNECTING
  const listeners = new Set<() => void>()
  const sinks = new Map<string, TerminalSink>()
  const pending = new Map<string, { data: string; reset: boolean }>()
  let ws: WebSocket | null = null
  let stopped = false
  let attempt = 0

  const update = (patch: Partial<ChannelState>) => {
    state = { ...state, ...patch }
    for (const l of listeners) l()
  }
  const deliver = (id: string, data: string, reset: boolean) => {
    const sink = sinks.get(id)
    if (sink) return sink(data, reset)
    const kept = reset ? { data: '', reset: true } : (pending.get(id) ?? { data: '', reset: false })
    kept.data = (kept.data + data).slice(-MAX_PENDING_CHARS)
    pending.set(id, kept)
  }
  const onMessage = (m: TerminalServerMessage) => {
    switch (m.type) {
      case 'hello':
        attempt = 0
        return update({
          status: 'open',
          canWrite: m.canWrite,
          available: m.available,
          reason: m.reason ?? null,
          terminals: m.terminals,
          maxTerminals: m.maxTerminals,
          failures: 0,
        })
      case 'list':
        for (const id of pending.keys()) if (!m.terminals.some((t) => t.id === id)) pending.delete(id)
        return update({ terminals: m.terminals })
      case 'screen':
        return deliver(m.id, m.data, true)
      case 'output':
        return deliver(m.id, m.data, false)
      case 'exited':
        return
      case 'typing':
        return update({ typing: { ...state.typing, [m.id]: { user: m.user, at: Date.now() } } })
      case 'error':
        return update({ error: m.message })
    }
  }
  const connect = async () => {
    let auth: string
    try {
      auth = await token()
    } catch {
      return retry()
    }
    if (stopped) return
    const url = new URL(`${TERMINAL_PATH}?project=${encodeURIComponent(projectId)}`, location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const socket = new WebSocket(url)
    ws = socket
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: auth }))
    socket.onmessage = (event) => onMessage(JSON.parse(String(event.data)) as TerminalServerMessage)
    socket.onclose = (event) => {
      if (ws !== socket) return
      ws = null
      if (stopped) return
      if (FINAL_CODES.includes(event.code)) {
        return update({ status: 'closed', reason: event.reason || 'The terminal channel was refused' })
      }
      update({ status: 'connecting', failures: state.failures + 1 })
      retry()
    }
  }
  const retry = () => {
    if (stopped) return
    const delay = Math.min(10_000, 250 * 2 ** attempt++)
    setTimeout(() => void connect(), delay)
  }
  void connect()

  const send = (message: TerminalClientMessage) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
  }
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    attach(id, sink) {
      sinks.set(id, sink)
      const kept = pending.get(id)
      pending.delete(id)
      if (kept) sink(kept.data, kept.reset)
      return () => {
        if (sinks.get(id) === sink) sinks.delete(id)
      }
    },
    send,
    input(id, data) {
      for (let i = 0; i < data.length; i += INPUT_CHUNK_CHARS) {
        send({ type: 'input', id, data: data.slice(i, i + INPUT_CHUNK_CHARS) })
      }
    },
    close() {
      stopped = true
      ws?.close()
    },
  }
}
