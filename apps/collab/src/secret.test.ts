import { mkdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { loadOrCreateSecret } from './secret'

const dirs: { remove(): Promise<void> }[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove()
})

describe('loadOrCreateSecret', () => {
  it('generates a secret once, with mode 0600, and reuses it', async () => {
    const dir = await newTempDir()
    dirs.push(dir)
    const data = join(dir.path, 'data')
    const first = await loadOrCreateSecret(data)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect((await stat(join(data, 'secret'))).mode & 0o777).toBe(0o600)
    expect(await loadOrCreateSecret(data)).toBe(first)
    const [a, b] = await Promise.all([
      loadOrCreateSecret(join(dir.path, 'race')),
      loadOrCreateSecret(join(dir.path, 'race')),
    ])
    expect(a).toBe(b)
  })

  it('prefers a configured secret', async () => {
    expect(await loadOrCreateSecret('/nonexistent', 'x'.repeat(40))).toBe('x'.repeat(40))
  })

  it('refuses a secret shorter than 32 bytes, configured or in the file, saying how to make one', async () => {
    await expect(loadOrCreateSecret('/nonexistent', 'x'.repeat(31))).rejects.toThrow(
      /^SECRET is shorter than 32 bytes: make one with `openssl rand -hex 32`$/,
    )
    const dir = await newTempDir()
    dirs.push(dir)
    await mkdir(join(dir.path, 'data'))
    await writeFile(join(dir.path, 'data', 'secret'), 'short\n', { mode: 0o600 })
    await expect(loadOrCreateSecret(join(dir.path, 'data'))).rejects.toThrow(
      /secret in .*data\/secret is shorter than 32 bytes: delete the file.*openssl rand -hex 32/,
    )
  })
})
