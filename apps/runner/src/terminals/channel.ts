import type { WebSocket } from 'ws'
import { AppError, canWrite, CloseCode, type Role } from '@mimiverse/shared'
import {
  TERMINAL_AUTH_SECONDS,
  terminalClientMessage,
  type TerminalClientMessage,
  type TerminalPerson,
  type TerminalServerMessage,
} from '@mimiverse/shared/terminal-protocol'
import type { AccessChange, AccessChanges, CollabTokenIssuer, Logger } from '@mimiverse/server-kit'
import type { TerminalManager } from './manager'

/**
 * One member's socket on the terminal channel (protocol: `@mimiverse/shared/terminal-protocol`). Authenticates
 * with a collab token and the membership in the database, then relays the project's terminal events and the
 * member's commands. Reviewers' writes are refused here, whatever their client does.
 */
export interface ChannelDeps {
  tokens: CollabTokenIssuer
  /** The user's current role in the project (database), or null when not a member. */
  roleOf(userId: string, projectId: string): Promise<Role | null>
  manager: TerminalManager
  accessChanges?: AccessChanges
  log: Logger
}

/** Bytes queued on a socket past which it stops getting output, and below which it gets a fresh screen. */
const BEHIND_BYTES = 1024 * 1024
const CAUGHT_UP_BYTES = 128 * 1024
const CATCH_UP_POLL_MS = 200
/** Input a member may send: a burst (a paste) and a sustained rate, bytes. */
const INPUT_BURST = 256 * 1024
const INPUT_PER_SECOND = 64 * 1024

interface Member {
  user: TerminalPerson
  projectId: string
  role: Role
}

export function serveTerminalSocket(ws: WebSocket, projectId: string, deps: ChannelDeps): void {
  let member: Member | undefined
  let unsubscribe = () => {}
  let unwatch = () => {}
  const behind = new Set<string>()
  let catchUpTimer: NodeJS.Timeout | undefined
  let inputTokens = INPUT_BURST
  let inputRefilled = Date.now()
  let queue = Promise.resolve()

  const send = (message: TerminalServerMessage) => sendText(JSON.stringify(message))
  const sendText = (text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text)
  }
  const close = (code: number, reason: string) => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason)
  }
  const deadline = setTimeout(
    () => close(CloseCode.AuthenticationTimeout, 'no auth in time'),
    TERMINAL_AUTH_SECONDS * 1000,
  )

  const sendScreen = (id: string) => {
    try {
      sendText(JSON.stringify({ type: 'screen', id, ...deps.manager.get(projectId, id).snapshot() }))
    } catch {
      // The terminal was closed meanwhile; the list says so.
    }
  }
  const catchUp = () => {
    catchUpTimer = undefined
    if (ws.bufferedAmount > CAUGHT_UP_BYTES) {
      catchUpTimer = setTimeout(catchUp, CATCH_UP_POLL_MS)
      return
    }
    for (const id of behind) sendScreen(id)
    behind.clear()
  }
  /** Output goes out live while the socket keeps up; past BEHIND_BYTES it is dropped for a screen later. */
  const onEvent = (text: string, message: TerminalServerMessage) => {
    if (message.type === 'output') {
      if (behind.has(message.id)) return
      if (ws.bufferedAmount > BEHIND_BYTES) {
        behind.add(message.id)
        catchUpTimer ??= setTimeout(catchUp, CATCH_UP_POLL_MS)
        return
      }
    }
    sendText(text)
  }

  const authenticate = async (token: string) => {
    let claims: ReturnType<CollabTokenIssuer['verify']>
    try {
      claims = deps.tokens.verify(token)
    } catch (e: unknown) {
      return close(CloseCode.Unauthorized, e instanceof Error ? e.message : 'invalid collab token')
    }
    if (claims.pid !== projectId) return close(CloseCode.Forbidden, "not this token's project")
    if (claims.agent) return close(CloseCode.Forbidden, 'agent tokens cannot open terminals')
    const role = await deps.roleOf(claims.sub, projectId)
    if (!role) return close(CloseCode.Forbidden, 'not a member of this project')
    clearTimeout(deadline)
    if (ws.readyState !== ws.OPEN) return
    const { manager } = deps
    const available = await manager.available()
    if (ws.readyState !== ws.OPEN) return
    member = { user: { id: claims.sub, name: claims.name }, projectId, role }
    unwatch = watchAccess(member)
    send({
      type: 'hello',
      user: member.user,
      role,
      canWrite: canWrite(role),
      available: available.ok,
      ...(available.ok ? {} : { reason: available.reason }),
      terminals: manager.list(projectId),
      maxTerminals: manager.maxPerProject,
    })
    for (const t of manager.list(projectId)) sendScreen(t.id)
    unsubscribe = manager.subscribe(projectId, onEvent)
  }

  /** A removed member is closed at once; a changed role reconnects (and gets the new role). */
  const watchAccess = (m: Member) => {
    if (!deps.accessChanges) return () => {}
    const recheck = () => {
      deps
        .roleOf(m.user.id, m.projectId)
        .then((role) => {
          if (!role) close(CloseCode.Forbidden, 'no longer a member of this project')
          else if (role !== m.role) close(CloseCode.AccessChanged, 'your role changed')
        })
        .catch((e: unknown) => deps.log.warn('could not re-check a terminal member', { error: e }))
    }
    return deps.accessChanges.subscribe((change: AccessChange) => {
      if (change.kind === 'user' && change.userId === m.user.id) close(CloseCode.Unauthorized, 'signed out')
      else if (
        change.kind === 'membership' &&
        change.userId === m.user.id &&
        change.projectId === m.projectId
      )
        recheck()
      else if (change.kind === 'reset') recheck()
    })
  }

  const takeInput = (bytes: number): boolean => {
    const now = Date.now()
    inputTokens = Math.min(INPUT_BURST, inputTokens + ((now - inputRefilled) / 1000) * INPUT_PER_SECOND)
    inputRefilled = now
    if (inputTokens < bytes) return false
    inputTokens -= bytes
    return true
  }

  const handle = async (message: TerminalClientMessage) => {
    if (message.type === 'auth') {
      if (member) return close(CloseCode.MalformedMessage, 'already authenticated')
      return authenticate(message.token)
    }
    if (!member) return close(CloseCode.MalformedMessage, 'authenticate first')
    if (!canWrite(member.role)) {
      return send({ type: 'error', message: 'Reviewers can watch terminals but not type in them' })
    }
    const { manager } = deps
    switch (message.type) {
      case 'open':
        await manager.open(projectId, {
          cols: message.cols,
          rows: message.rows,
          createdBy: member.user,
          ...(message.run ? { script: message.run.script } : {}),
        })
        return
      case 'input':
        if (!takeInput(Buffer.byteLength(message.data))) {
          return send({ type: 'error', id: message.id, message: 'Input too fast: some of it was dropped' })
        }
        manager.get(projectId, message.id).write(message.data)
        return manager.typed(projectId, message.id, member.user)
      case 'resize':
        return manager.get(projectId, message.id).resize(message.cols, message.rows)
      case 'kill':
        return manager.kill(projectId, message.id)
      case 'close':
        return manager.close(projectId, message.id)
    }
  }

  ws.on('message', (raw, isBinary) => {
    const parsed = isBinary ? undefined : parse(raw.toString())
    if (!parsed) return close(CloseCode.MalformedMessage, 'not a terminal message')
    const id = 'id' in parsed ? parsed.id : undefined
    // In order: an `input` sent right after `auth` waits for the authentication to finish.
    queue = queue
      .then(() => handle(parsed))
      .catch((e: unknown) => {
        if (e instanceof AppError) return send({ type: 'error', message: e.message, ...(id ? { id } : {}) })
        if (!member) return close(CloseCode.StorageUnavailable, 'could not check access; try again')
        deps.log.error('terminal message failed', { error: e })
        send({ type: 'error', message: 'That did not work; try again' })
      })
  })
  ws.on('close', () => {
    clearTimeout(deadline)
    clearTimeout(catchUpTimer)
    unsubscribe()
    unwatch()
  })
}

function parse(text: string): TerminalClientMessage | undefined {
  try {
    const result = terminalClientMessage.safeParse(JSON.parse(text))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}
