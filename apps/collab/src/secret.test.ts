import { stat } from 'node:fs/promises'
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
})
