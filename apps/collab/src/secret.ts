import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The server secret signs collab tokens. Without `SECRET` one is generated once into the data folder (mode
 * 0600) and reused, so tokens survive restarts; there is never a built-in constant to fall back to.
 */
export async function loadOrCreateSecret(dataDir: string, configured?: string): Promise<string> {
  if (configured) return configured
  const file = join(dataDir, 'secret')
  try {
    const existing = (await readFile(file, 'utf8')).trim()
    if (existing.length >= 32) return existing
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
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim()
    throw e
  } finally {
    await unlink(temp)
  }
}
