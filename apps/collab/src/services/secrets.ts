import { randomBytes } from 'node:crypto'

/** A random bearer secret (256 bits), URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url')
}
