import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import {
  AppError,
  ErrorCode,
  OUTSIDE_AGENT_ID_PREFIX,
  Role,
  roleSchema,
  WORKSPACE_USER,
} from '@mimiverse/shared'

/**
 * Short-lived collab tokens: `base64url(JSON claims).base64url(HMAC-SHA256(secret, claims))`. The provider
 * sends one per document in its Auth message; the server checks signature and expiry, then membership in the
 * database, so a revoked member loses access at the next connection even with a valid token.
 *
 * Shared by the collab server (which verifies) and the AI service (which issues agent tokens): both hold the same
 * `SECRET`. An agent token carries `agent: { runId, doc }`: the collab server then also requires that the
 * requester (`sub`) may write, and pins the connection to that one document.
 *
 * A user's token carries `sid`, the session that minted it, so that signing out ends its collaboration too: the
 * collab server refuses the token once that session is gone and closes the sockets it opened when the sign-out is
 * announced. `sid` is the SHA-256 of the session token, as the sessions table stores it and the access-changes bus
 * announces it: it cannot sign anyone in, and it only ever reaches the holder of the session itself.
 *
 * A workspace token (`workspace: true`) is the workspace mirror's: a service of the server, not a person, that
 * writes the documents of the one project `pid` (the runner mirrors that project's files on disk). Only a
 * process holding `SECRET` can make one (`issueWorkspace`); the API's `collab.token` never does.
 */
const claimsSchema = z.object({
  sub: z.uuid(),
  name: z.string(),
  pid: z.uuid(),
  role: roleSchema,
  /** Expiry, seconds since the epoch. */
  exp: z.number().int(),
  /**
   * Set on the AI agent's tokens: the run it works for and the only document it may open; `as` is an outside
   * agent's own identity in awareness (else it shows as Mimi).
   */
  agent: z
    .object({
      runId: z.uuid(),
      doc: z.string().min(1).max(80),
      as: z
        .object({
          id: z.string().startsWith(OUTSIDE_AGENT_ID_PREFIX).max(64),
          name: z.string().trim().min(1).max(100),
        })
        .optional(),
    })
    .optional(),
  /** The minting session's token hash (hex SHA-256); absent on agent tokens, which act for a requester. */
  sid: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Set on the workspace mirror's tokens: a service identity pinned to the project `pid`. */
  workspace: z.literal(true).optional(),
})
export type CollabClaims = z.infer<typeof claimsSchema>

export type AgentClaim = NonNullable<CollabClaims['agent']>

export interface CollabTokenIssuer {
  issue(claims: {
    userId: string
    name: string
    projectId: string
    role: Role
    agent?: AgentClaim
    /** The SHA-256 of the session token the request authenticated with (never the token). */
    sessionTokenHash?: string
  }): {
    token: string
    expiresAt: Date
  }
  /** A token for the workspace mirror of one project (see above). */
  issueWorkspace(projectId: string): { token: string; expiresAt: Date }
  verify(token: string): CollabClaims
}

/** The `sub` of workspace tokens: no account has it (accounts get random v4 ids), so no membership matches. */
export const WORKSPACE_SUBJECT = '00000000-0000-0000-0000-000000000000'

export function createCollabTokenIssuer(
  secret: string,
  ttlSeconds: number,
  now: () => number = Date.now,
): CollabTokenIssuer {
  const sign = (body: string) => createHmac('sha256', `collab:${secret}`).update(body).digest()
  const seal = (claims: CollabClaims) => {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
    return { token: `${body}.${sign(body).toString('base64url')}`, expiresAt: new Date(claims.exp * 1000) }
  }
  const expiry = () => Math.floor(now() / 1000) + ttlSeconds
  return {
    issue: ({ userId, name, projectId, role, agent, sessionTokenHash }) =>
      seal({
        sub: userId,
        name,
        pid: projectId,
        role,
        exp: expiry(),
        ...(agent ? { agent } : {}),
        ...(sessionTokenHash ? { sid: sessionTokenHash } : {}),
      }),
    // No `sid`: the mirror is minted by the server for itself, not by a session, so no sign-out ends it.
    issueWorkspace: (projectId) =>
      seal({
        sub: WORKSPACE_SUBJECT,
        name: WORKSPACE_USER.name,
        pid: projectId,
        role: Role.Editor,
        exp: expiry(),
        workspace: true,
      }),
    verify(token) {
      const [body, mac, extra] = token.split('.')
      if (!body || !mac || extra !== undefined)
        throw new AppError(ErrorCode.Unauthorized, 'malformed collab token')
      // Compared as text: decoding `mac` would skip characters that are not base64url and ignore the unused low
      // bits of its last character, so junk appended to a valid token would still verify.
      const expected = Buffer.from(sign(body).toString('base64url'))
      const given = Buffer.from(mac)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError(ErrorCode.Unauthorized, 'invalid collab token signature')
      }
      let claims: CollabClaims
      try {
        claims = claimsSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
      } catch {
        throw new AppError(ErrorCode.Unauthorized, 'malformed collab token')
      }
      if (claims.exp * 1000 <= now()) throw new AppError(ErrorCode.Unauthorized, 'collab token expired')
      return claims
    },
  }
}
