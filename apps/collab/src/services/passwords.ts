import { hash, verify } from '@node-rs/argon2'

/** argon2id with the library's defaults (19 MiB memory, 2 passes: the OWASP minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// Verifying against this when the account does not exist keeps sign-in time the same either way, so response
// times don't reveal which emails have accounts.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    dummyHash ??= hash('not-a-real-password')
    await verify(await dummyHash, password).catch(() => false)
    return false
  }
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
