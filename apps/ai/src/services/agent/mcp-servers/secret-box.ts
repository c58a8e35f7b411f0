import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Encrypts the bearer values of project MCP servers at rest: AES-256-GCM with a key derived from the server
 * secret (HKDF-SHA256, its own `info`, so this key is used for nothing else), a random 96-bit nonce per value,
 * and the server's id as associated data, so a stored value copied onto another row does not decrypt. A
 * database dump alone does not reveal the bearers; changing SECRET makes the stored ones unreadable (the
 * servers must be given their bearer again).
 *
 * Stored form: `v1.<nonce>.<tag>.<ciphertext>`, each base64url.
 */
export interface SecretBox {
  seal(plain: string, boundTo: string): string
  /** Null when the value was sealed with another secret, for another row, or was tampered with. */
  open(sealed: string, boundTo: string): string | null
}

const INFO = 'mimiverse project mcp server bearer v1'

export function createSecretBox(secret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mimiverse', INFO, 32))
  return {
    seal(plain, boundTo) {
      const nonce = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, nonce)
      cipher.setAAD(Buffer.from(boundTo))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return ['v1', nonce, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : b64(p)))
        .join('.')
    },
    open(sealed, boundTo) {
      const [version, nonce, tag, body] = sealed.split('.')
      if (version !== 'v1' || nonce === undefined || tag === undefined || body === undefined) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'))
        decipher.setAAD(Buffer.from(boundTo))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        )
      } catch {
        return null
      }
    },
  }
}

function b64(b: Buffer): string {
  return b.toString('base64url')
}
