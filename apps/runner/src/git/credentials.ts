import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Encryption of the git credentials members give a project's remote (a password or access token), so the
 * database alone never yields them. AES-256-GCM with a key derived from the server's secret by HKDF-SHA-256
 * (its own salt and info, so the key is no other use's key), a random 96-bit IV per value, and the project's id
 * as additional data: a ciphertext copied into another project's row does not decrypt there. The format is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), versioned for a later change of algorithm.
 */
export interface CredentialBox {
  seal(projectId: string, plaintext: string): string
  /** Null when the value does not decrypt (another server secret, a tampered or moved row). */
  open(projectId: string, sealed: string): string | null
}

const SALT = 'mimiverse git credentials'
const INFO = 'aes-256-gcm v1'

export function createCredentialBox(secret: string): CredentialBox {
  const key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32))
  return {
    seal(projectId, plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(projectId))
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(projectId, sealed) {
      const [version, iv, tag, data] = sealed.split('.')
      if (version !== 'v1' || !iv || !tag || data === undefined) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        decipher.setAAD(Buffer.from(projectId))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
          'utf8',
        )
      } catch {
        return null
      }
    },
  }
}
