import { chmod, lstat, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { spawnServer } from '../src/testing/index'
import { onCleanup } from './fixtures'

/** Every path under `dir` (itself included) with its permission bits. */
async function modes(dir: string): Promise<Map<string, number>> {
  const found = new Map([[dir, (await lstat(dir)).mode & 0o777]])
  for (const entry of await readdir(dir, { recursive: true })) {
    found.set(join(dir, entry), (await lstat(join(dir, entry))).mode & 0o777)
  }
  return found
}

describe('start-up', () => {
  it('makes DATA_DIR private at every start: the folder, the secret and the database files', async () => {
    const dir = await newTempDir()
    onCleanup(dir.remove)
    // A folder made by hand: open to everyone, with a secret others can read.
    await chmod(dir.path, 0o755)
    await writeFile(join(dir.path, 'secret'), `${'a1'.repeat(32)}\n`, { mode: 0o644 })
    await chmod(join(dir.path, 'secret'), 0o644)
    const server = await spawnServer({ DATA_DIR: dir.path })
    onCleanup(() => server.child.kill('SIGKILL'))

    const found = await modes(dir.path)
    // The embedded database was created during this start (its engine makes its files 0666).
    expect(found.size).toBeGreaterThan(100)
    for (const [path, mode] of found) {
      const folder = (await lstat(path)).isDirectory()
      expect([path, mode]).toEqual([path, folder ? 0o700 : 0o600])
    }
  })

  it('refuses to start with a secret shorter than 32 bytes, saying how to make one', async () => {
    const dir = await newTempDir()
    onCleanup(dir.remove)
    await writeFile(join(dir.path, 'secret'), 'too-short\n', { mode: 0o600 })
    await expect(spawnServer({ DATA_DIR: dir.path })).rejects.toThrow(
      /Mimiverse failed to start: The secret in .*secret is shorter than 32 bytes: .*openssl rand -hex 32/,
    )
  })
})
