import type { Extension, onAuthenticatePayload, onDisconnectPayload } from '@hocuspocus/server'
import type WebSocket from 'ws'
import {
  AppError,
  canWrite,
  CloseCode,
  parseDocName,
  parseProjectDocName,
  ProjectDoc,
  Role,
  WORKSPACE_USER,
} from '@mimiverse/shared'
import {
  clipForLog,
  WORKSPACE_SUBJECT,
  type CollabClaims,
  type CollabTokenIssuer,
  type Logger,
} from '@mimiverse/server-kit'
import {
  closeSocket,
  markAuthenticated,
  markUnauthenticated,
  type SocketState,
} from '../protocol/frame-guard'
import type { AccessService } from '../services/access'
import { Cap, type Grant, type LiveSocket, type SocketRegistry } from '../sockets/registry'

/** What the server knows about a connection after authentication; Hocuspocus passes it to every hook. */
export interface CollabContext {
  /** Set by the upgrade handler so a refusal can close the socket with our close code. */
  socket: WebSocket
  /** Shared with the frame guard, which bounds what a socket may send before it is authenticated. */
  state: SocketState
  /** The node's record of the socket: per-user caps, and the sockets an access change ends. */
  live: LiveSocket
  /** What the registry holds for this (socket, document) until the document's connection closes. */
  grant: Grant
  user: { id: string; name: string }
  projectId: string
  role: Role
  /** Set when the AI agent connects on behalf of `user` (the requester): the run it works for. */
  agentRunId?: string
  /** An outside agent's own identity in awareness (from its token); absent for Mimi. */
  agentAs?: { id: string; name: string }
  /** Set when the workspace mirror connects (`user` is then `WORKSPACE_USER`): a service, not a member. */
  workspace?: true
}

/** Refusal handed to Hocuspocus: it sends `reason` to the provider as "permission denied". */
interface Refusal {
  code: number
  reason: string
}

/**
 * Authenticates each (socket, document) pair: a valid, unexpired collab token; a document of the token's
 * project that exists; a current membership (checked in the database, so a revoked member is refused even
 * with a token that has not expired). Reviewers get read-only connections: Hocuspocus then drops their
 * updates while their awareness (cursors) still flows.
 *
 * Agent tokens (issued by the AI service with the shared secret) act for the requester: the requester must still
 * be an editor or owner, and the connection is pinned to the one document named in the token, so an agent run
 * can write only the file it was asked to edit.
 *
 * A user's token must name a session that still exists (signing out ends the collab tokens it minted). Each
 * accepted document is granted in the socket registry, which refuses it past the per-user socket and document
 * caps, and through which an access change announced later closes the socket (see `sockets/revocation.ts`).
 *
 * Workspace tokens (made by the runner with the shared secret, never by the API) are the workspace mirror's: a
 * service of the server with no session and no membership, which may write every document of the one project in
 * its token. Its grants are held apart in the registry: no per-user cap counts them (one mirror socket holds
 * every document of its project) and no access change closes them.
 *
 * A refusal is first reported to the provider (Hocuspocus sends the reason as "permission denied", which the
 * provider raises as `authenticationFailed`), then the socket is closed with a documented close code.
 */
export class AuthExtension implements Extension {
  extensionName = 'auth'
  priority = 1000

  constructor(
    private readonly deps: {
      tokens: CollabTokenIssuer
      access: AccessService
      registry: SocketRegistry
      /** Refusals are caused by strangers: give a rate-limited logger. */
      log: Logger
      onRefused?: (code: number) => void
    },
  ) {}

  async onAuthenticate(
    data: onAuthenticatePayload,
  ): Promise<Omit<CollabContext, 'socket' | 'state' | 'live'>> {
    const { socket, state, live } = data.context as Partial<CollabContext>
    try {
      const { grant, ...identity } = await this.authenticateCurrent(data)
      const cap = live ? this.deps.registry.grant(live, data.documentName, grant) : null
      if (cap) throw capRefusal(cap)
      if (state) markAuthenticated(state, data.documentName)
      return { ...identity, grant }
    } catch (e: unknown) {
      const refusal = toRefusal(e)
      this.deps.onRefused?.(refusal.code)
      this.deps.log.info('collab connection refused', {
        doc: clipForLog(data.documentName),
        code: refusal.code,
        reason: refusal.reason,
      })
      // After Hocuspocus has sent the permission-denied message, which was queued before this close frame.
      if (socket) setImmediate(() => closeSocket(socket, refusal.code, refusal.reason))
      throw refusal
    }
  }

  onDisconnect({ context, documentName }: onDisconnectPayload): Promise<void> {
    const { live, state, grant } = context as Partial<CollabContext>
    if (live && grant) this.deps.registry.revoke(live, documentName, grant)
    if (state) markUnauthenticated(state, documentName)
    return Promise.resolve()
  }

  /**
   * Authenticates against the access state current at the end: an access change announced while the checks ran
   * may not be in what they read (it is announced after the database write), so they run again.
   */
  private async authenticateCurrent(data: onAuthenticatePayload) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const epoch = this.deps.registry.accessEpoch
      const result = await this.authenticate(data)
      if (this.deps.registry.accessEpoch === epoch) return result
    }
    throw { code: CloseCode.StorageUnavailable, reason: 'access is changing; try again' } satisfies Refusal
  }

  private async authenticate({ token, documentName, connectionConfig }: onAuthenticatePayload) {
    const claims = this.deps.tokens.verify(token)
    const doc = documentOf(documentName)
    if (!doc) throw { code: CloseCode.DocumentNotFound, reason: 'not a document name' } satisfies Refusal
    if (doc.projectId !== claims.pid) {
      throw { code: CloseCode.Forbidden, reason: "document is not in this token's project" } satisfies Refusal
    }
    if (claims.workspace) return this.workspace(claims, doc, connectionConfig)
    // Agent tokens act for a requester and carry no session; the requester's role is checked below.
    if (!claims.agent) {
      if (!claims.sid) {
        throw { code: CloseCode.Unauthorized, reason: 'collab token without a session' } satisfies Refusal
      }
      if (!(await this.deps.access.sessionActive(claims.sub, claims.sid))) {
        throw {
          code: CloseCode.Unauthorized,
          reason: 'the session of this collab token has ended',
        } satisfies Refusal
      }
    }
    const role = await this.deps.access.roleOf(claims.sub, doc.projectId)
    if (!role) throw { code: CloseCode.Forbidden, reason: 'not a member of this project' } satisfies Refusal
    await this.fileExists(doc)
    if (claims.agent) {
      if (claims.agent.doc !== documentName) {
        throw { code: CloseCode.Forbidden, reason: 'agent token is for another document' } satisfies Refusal
      }
      if (!canWrite(role)) {
        throw {
          code: CloseCode.Forbidden,
          reason: 'the requester may not edit this project',
        } satisfies Refusal
      }
    }
    // The events document carries the server's announcements only: nobody writes it.
    connectionConfig.readOnly = !canWrite(role) || isEventsDocument(documentName)
    const user = { id: claims.sub, name: claims.name }
    const grant: Grant = {
      userId: claims.sub,
      projectId: doc.projectId,
      role,
      ...(claims.sid ? { sessionTokenHash: claims.sid } : {}),
    }
    return {
      user,
      projectId: doc.projectId,
      role,
      grant,
      ...(claims.agent ? { agentRunId: claims.agent.runId } : {}),
      ...(claims.agent?.as ? { agentAs: claims.agent.as } : {}),
    }
  }

  /** A file's document needs its file; a project document (no file behind it) exists with its project. */
  private async fileExists(doc: NamedDocument): Promise<void> {
    if (doc.fileId === null) return
    if (!(await this.deps.access.fileExists(doc.projectId, doc.fileId))) {
      throw { code: CloseCode.DocumentNotFound, reason: 'no such file' } satisfies Refusal
    }
  }

  /** The workspace mirror: pinned to its token's project (checked above), files only, which must exist; it writes. */
  private async workspace(
    claims: CollabClaims,
    doc: NamedDocument,
    connectionConfig: onAuthenticatePayload['connectionConfig'],
  ) {
    if (claims.agent || claims.sub !== WORKSPACE_SUBJECT) {
      throw { code: CloseCode.Forbidden, reason: 'not a workspace token' } satisfies Refusal
    }
    if (doc.fileId === null) {
      throw { code: CloseCode.Forbidden, reason: 'the workspace writes files only' } satisfies Refusal
    }
    await this.fileExists(doc)
    connectionConfig.readOnly = false
    const grant: Grant = { userId: claims.sub, projectId: doc.projectId, role: Role.Editor, workspace: true }
    return {
      user: { id: WORKSPACE_USER.id, name: WORKSPACE_USER.name },
      projectId: doc.projectId,
      role: Role.Editor,
      grant,
      workspace: true as const,
    }
  }
}

function capRefusal(cap: Cap): Refusal {
  const reason = cap === Cap.UserDocuments ? 'too many open documents' : 'too many connections'
  return { code: CloseCode.TooMany, reason: `${reason} for this user` }
}

function toRefusal(e: unknown): Refusal {
  if (e instanceof AppError) return { code: CloseCode.Unauthorized, reason: e.message }
  if (typeof e === 'object' && e !== null && 'code' in e && 'reason' in e) return e as Refusal
  return { code: CloseCode.StorageUnavailable, reason: 'could not check access; try again' }
}

/** A document the server serves: a file's (`fileId`) or one of the project's own (`fileId` null). */
interface NamedDocument {
  projectId: string
  fileId: string | null
}

const isEventsDocument = (name: string) => parseProjectDocName(name)?.kind === ProjectDoc.Events

function documentOf(name: string): NamedDocument | null {
  const file = parseDocName(name)
  if (file) return file
  const own = parseProjectDocName(name)
  return own ? { projectId: own.projectId, fileId: null } : null
}
