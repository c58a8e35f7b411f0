import { createHash, randomBytes } from 'node:crypto'

/** A random bearer secret (256 bits), URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What we store instead of a bearer secret: a leaked table yields nothing usable. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
