import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Shortest secret accepted, in bytes: the HMAC-SHA256 key of collab tokens should be as long as its hash. */
export const MIN_SECRET_BYTES = 32

const HOW_TO_MAKE_ONE = 'make one with `openssl rand -hex 32`'

/**
 * The server secret signs collab tokens. Without `SECRET` one is generated once into the data folder (mode
 * 0600) and reused, so tokens survive restarts; there is never a built-in constant to fall back to. A secret
 * shorter than MIN_SECRET_BYTES, configured or found in the file, is refused with a message saying what to do.
 */
export async function loadOrCreateSecret(dataDir: string, configured?: string): Promise<string> {
  if (configured !== undefined) {
    if (Buffer.byteLength(configured) < MIN_SECRET_BYTES) {
      throw new Error(`SECRET is shorter than ${MIN_SECRET_BYTES} bytes: ${HOW_TO_MAKE_ONE}`)
    }
    return configured
  }
  const file = join(dataDir, 'secret')
  try {
    return checkedFile(file, await readFile(file, 'utf8'))
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const secret = randomBytes(32).toString('hex')
  // Written whole to a private temporary file, then linked into place: `link` fails if the name exists, so two
  // processes racing on first start agree on one secret and neither can read a half-written file.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  await writeFile(temp, `${secret}\n`, { mode: 0o600 })
  try {
    await link(temp, file)
    return secret
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return checkedFile(file, await readFile(file, 'utf8'))
    throw e
  } finally {
    await unlink(temp)
  }
}

function checkedFile(file: string, content: string): string {
  const secret = content.trim()
  if (Buffer.byteLength(secret) >= MIN_SECRET_BYTES) return secret
  throw new Error(
    `The secret in ${file} is shorter than ${MIN_SECRET_BYTES} bytes: delete the file to have a new one ` +
      `generated, or ${HOW_TO_MAKE_ONE} and write it there (every node needs the same one; collab tokens ` +
      'signed with the old one stop working, and clients fetch new ones)',
  )
}
