import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { AppError, ErrorCode, roleSchema, type Role } from '@mimiverse/shared'

/**
 * Short-lived collab tokens: `base64url(JSON claims).base64url(HMAC-SHA256(secret, claims))`. The provider
 * sends one per document in its Auth message; the server checks signature and expiry, then membership in the
 * database, so a revoked member loses access at the next connection even with a valid token.
 */
const claimsSchema = z.object({
  sub: z.uuid(),
  name: z.string(),
  pid: z.uuid(),
  role: roleSchema,
  /** Expiry, seconds since the epoch. */
  exp: z.number().int(),
})
export type CollabClaims = z.infer<typeof claimsSchema>

export interface CollabTokenIssuer {
  issue(claims: { userId: string; name: string; projectId: string; role: Role }): {
    token: string
    expiresAt: Date
  }
  verify(token: string): CollabClaims
}

export function createCollabTokenIssuer(
  secret: string,
  ttlSeconds: number,
  now: () => number = Date.now,
): CollabTokenIssuer {
  const sign = (body: string) => createHmac('sha256', `collab:${secret}`).update(body).digest()
  return {
    issue({ userId, name, projectId, role }) {
      const exp = Math.floor(now() / 1000) + ttlSeconds
      const claims: CollabClaims = { sub: userId, name, pid: projectId, role, exp }
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
      return { token: `${body}.${sign(body).toString('base64url')}`, expiresAt: new Date(exp * 1000) }
    },
    verify(token) {
      const [body, mac, extra] = token.split('.')
      if (!body || !mac || extra !== undefined)
        throw new AppError(ErrorCode.Unauthorized, 'malformed collab token')
      const expected = sign(body)
      const given = Buffer.from(mac, 'base64url')
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
