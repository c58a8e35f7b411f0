import type WebSocket from 'ws'
import type { Role } from '@mimiverse/shared'

/**
 * The node's open collab sockets: what the socket caps count, and who each socket acts for, so that a sign-out
 * or a changed membership can find the sockets it ends.
 *
 * Flow: the upgrade handler `enter`s an address (refused when the node or the address is full) and `leave`s it
 * when the TCP connection closes. The auth extension `grant`s each authenticated document (refused when the user
 * has too many sockets or documents) and `revoke`s it when that document's connection closes; `forget` drops
 * every grant of a closed socket.
 *
 * The workspace mirror's grants (`workspace`) are held apart: it is a service of the server, not a user, and one
 * mirror socket holds every document of its project, so no per-user cap counts them, and `socketsWhere` (what
 * access changes close) never finds them. The runner bounds them itself (a project's file limit, one socket per
 * mirrored project); the node-wide and per-address socket caps still count its sockets.
 */

/** What one authenticated document of a socket was opened with. */
export interface Grant {
  userId: string
  projectId: string
  role: Role
  /** The token hash of the session that minted the collab token; absent for agent and workspace tokens. */
  sessionTokenHash?: string
  /** The workspace mirror's (a workspace token): no user, held apart from the caps and access changes. */
  workspace?: true
}

/** One open socket. */
export interface LiveSocket {
  readonly socket: WebSocket
  /** Authenticated documents and the grant of each. */
  readonly grants: Map<string, Grant>
  /** An Auth was accepted at least once: the authentication deadline no longer applies. */
  authenticated: boolean
}

export interface SocketCaps {
  sockets: number
  socketsPerAddress: number
  socketsPerUser: number
  documentsPerUser: number
}

/** Which cap refused a socket or a document. */
export const Cap = {
  Node: 'node',
  Address: 'address',
  UserSockets: 'user-sockets',
  UserDocuments: 'user-documents',
} as const
export type Cap = (typeof Cap)[keyof typeof Cap]

export class SocketRegistry {
  /**
   * Advanced by every access change heard. Authentication reads it before its database checks and compares after:
   * a change announced meanwhile may not be in what it read, so it checks again.
   */
  accessEpoch = 0
  private open = 0
  private readonly perAddress = new Map<string, number>()
  /** Per user: each socket holding a grant of theirs, with how many. */
  private readonly perUser = new Map<string, Map<LiveSocket, number>>()
  private readonly documentsPerUser = new Map<string, number>()

  constructor(private readonly caps: SocketCaps) {}

  /** Open sockets, counted from `enter` to `leave`. */
  get size(): number {
    return this.open
  }

  /** Counts a socket about to be upgraded, or names the cap that refuses it. Pair with `leave`. */
  enter(address: string): Cap | null {
    if (this.open >= this.caps.sockets) return Cap.Node
    const count = this.perAddress.get(address) ?? 0
    if (count >= this.caps.socketsPerAddress) return Cap.Address
    this.open += 1
    this.perAddress.set(address, count + 1)
    return null
  }

  leave(address: string): void {
    this.open -= 1
    const count = (this.perAddress.get(address) ?? 1) - 1
    if (count > 0) this.perAddress.set(address, count)
    else this.perAddress.delete(address)
  }

  /** Records an authenticated document of a socket, or names the per-user cap that refuses it. */
  grant(live: LiveSocket, documentName: string, grant: Grant): Cap | null {
    const previous = live.grants.get(documentName)
    if (previous) this.revoke(live, documentName, previous)
    if (grant.workspace) return this.hold(live, documentName, grant)
    const sockets = this.perUser.get(grant.userId) ?? new Map<LiveSocket, number>()
    const documents = this.documentsPerUser.get(grant.userId) ?? 0
    if (!sockets.has(live) && sockets.size >= this.caps.socketsPerUser) return Cap.UserSockets
    if (documents >= this.caps.documentsPerUser) return Cap.UserDocuments
    sockets.set(live, (sockets.get(live) ?? 0) + 1)
    this.perUser.set(grant.userId, sockets)
    this.documentsPerUser.set(grant.userId, documents + 1)
    return this.hold(live, documentName, grant)
  }

  private hold(live: LiveSocket, documentName: string, grant: Grant): null {
    live.grants.set(documentName, grant)
    live.authenticated = true
    return null
  }

  /** Drops a document's grant, if it is still `grant` (a later authentication may have replaced it). */
  revoke(live: LiveSocket, documentName: string, grant: Grant): void {
    if (live.grants.get(documentName) !== grant) return
    live.grants.delete(documentName)
    if (grant.workspace) return
    const sockets = this.perUser.get(grant.userId)
    const count = (sockets?.get(live) ?? 1) - 1
    if (count > 0) sockets?.set(live, count)
    else sockets?.delete(live)
    if (sockets?.size === 0) this.perUser.delete(grant.userId)
    const documents = (this.documentsPerUser.get(grant.userId) ?? 1) - 1
    if (documents > 0) this.documentsPerUser.set(grant.userId, documents)
    else this.documentsPerUser.delete(grant.userId)
  }

  /** Drops every grant of a closed socket. */
  forget(live: LiveSocket): void {
    for (const [documentName, grant] of [...live.grants]) this.revoke(live, documentName, grant)
  }

  /**
   * The sockets holding a grant that `match`es (never the workspace mirror's), each with those grants. `userId`
   * narrows the search.
   */
  socketsWhere(match: (grant: Grant) => boolean, userId?: string): Map<LiveSocket, Grant[]> {
    const found = new Map<LiveSocket, Grant[]>()
    const users = userId === undefined ? [...this.perUser.values()] : [this.perUser.get(userId)]
    for (const sockets of users) {
      for (const live of sockets?.keys() ?? []) {
        const grants = [...live.grants.values()].filter((g) => !g.workspace && match(g))
        if (grants.length > 0) found.set(live, grants)
      }
    }
    return found
  }
}
