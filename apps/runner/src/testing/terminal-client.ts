import WebSocket from 'ws'
import type { TerminalClientMessage, TerminalServerMessage } from '@mimiverse/shared/terminal-protocol'

/**
 * A terminal channel client for tests and benchmarks, as the web app is one: every message kept, and per
 * terminal what it would show (the last `screen` followed by the `output` since, escape sequences included).
 */
export interface TerminalClient {
  messages: TerminalServerMessage[]
  send(message: TerminalClientMessage | Record<string, unknown>): void
  /** What the client has of a terminal: the last screen and every output after it. */
  shown(id: string): string
  /** Resolves with the first message (already received or coming) that matches. */
  next<T extends TerminalServerMessage['type']>(
    type: T,
    where?: (m: Extract<TerminalServerMessage, { type: T }>) => boolean,
  ): Promise<Extract<TerminalServerMessage, { type: T }>>
  /** Called with every message as it arrives (benchmarks time arrivals here). */
  onMessage(listener: (m: TerminalServerMessage) => void): void
  /** Opens a terminal and resolves with its id (the first one listed that this client did not know). */
  open(run?: string): Promise<string>
  /** Types a line into a terminal. */
  type(id: string, line: string): void
  /** Forgets what was shown of a terminal (to bound memory while it floods). */
  forget(id: string): void
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

/** Connects to `<baseUrl>/terminals?project=…` and sends `auth` with the given collab token. */
export async function connectTerminalClient(
  baseUrl: string,
  projectId: string,
  token: string,
): Promise<TerminalClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/terminals?project=${projectId}`)
  const messages: TerminalServerMessage[] = []
  const shown = new Map<string, string>()
  const listeners = new Set<(m: TerminalServerMessage) => void>()
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as TerminalServerMessage
    if (m.type === 'screen') shown.set(m.id, m.data)
    if (m.type === 'output') shown.set(m.id, (shown.get(m.id) ?? '') + m.data)
    else messages.push(m)
    for (const l of listeners) l(m)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const send = (message: object) => ws.send(JSON.stringify(message))
  send({ type: 'auth', token })
  const client: TerminalClient = {
    messages,
    send,
    shown: (id) => shown.get(id) ?? '',
    next(type, where = () => true) {
      type M = Extract<TerminalServerMessage, { type: typeof type }>
      const matches = (m: TerminalServerMessage): m is M => m.type === type && where(m as M)
      return new Promise((resolve) => {
        const found = messages.find(matches)
        if (found) return resolve(found)
        const check = (m: TerminalServerMessage) => {
          if (!matches(m)) return
          listeners.delete(check)
          resolve(m)
        }
        listeners.add(check)
      })
    },
    onMessage: (listener) => listeners.add(listener),
    async open(run) {
      const listed = messages.flatMap((m) => (m.type === 'list' || m.type === 'hello' ? m.terminals : []))
      const known = new Set(listed.map((t) => t.id))
      send({ type: 'open', cols: 100, rows: 30, ...(run ? { run: { script: run } } : {}) })
      const list = await client.next('list', (m) => m.terminals.some((t) => !known.has(t.id)))
      return list.terminals.find((t) => !known.has(t.id))!.id
    },
    type: (id, line) => send({ type: 'input', id, data: `${line}\r` }),
    forget: (id) => shown.delete(id),
    closed,
    close: () => ws.close(),
  }
  return client
}
