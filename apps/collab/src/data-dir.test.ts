import { chmod, lstat, mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { secureDataDir } from './data-dir'

const dirs: { remove(): Promise<void> }[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove()
})

async function tempDir() {
  const dir = await newTempDir()
  dirs.push(dir)
  return dir.path
}

const modeOf = async (path: string) => (await lstat(path)).mode & 0o777

describe('secureDataDir', () => {
  it('makes an existing open folder private: folders 0700, files 0600, links left alone', async () => {
    const data = join(await tempDir(), 'data')
    await mkdir(join(data, 'db', 'base'), { recursive: true })
    await writeFile(join(data, 'secret'), 'x'.repeat(64))
    await writeFile(join(data, 'db', 'base', '1234'), 'table')
    const outside = join(await tempDir(), 'elsewhere')
    await writeFile(outside, 'not ours')
    await symlink(outside, join(data, 'link'))
    for (const [path, mode] of [
      [data, 0o755],
      [join(data, 'db'), 0o755],
      [join(data, 'db', 'base'), 0o777],
      [join(data, 'secret'), 0o644],
      [join(data, 'db', 'base', '1234'), 0o666],
      [outside, 0o644],
    ] as const)
      await chmod(path, mode)

    await secureDataDir(data)
    expect(await modeOf(data)).toBe(0o700)
    expect(await modeOf(join(data, 'db'))).toBe(0o700)
    expect(await modeOf(join(data, 'db', 'base'))).toBe(0o700)
    expect(await modeOf(join(data, 'secret'))).toBe(0o600)
    expect(await modeOf(join(data, 'db', 'base', '1234'))).toBe(0o600)
    expect(await modeOf(outside)).toBe(0o644)
  })

  it('creates a missing folder private, and refuses a DATA_DIR it cannot make private', async () => {
    const parent = await tempDir()
    await secureDataDir(join(parent, 'new', 'data'))
    expect(await modeOf(join(parent, 'new', 'data'))).toBe(0o700)
    await writeFile(join(parent, 'a-file'), '')
    await expect(secureDataDir(join(parent, 'a-file'))).rejects.toThrow(
      /^DATA_DIR \(.*a-file\) must be private to the user running Mimiverse .* could not be made so: it is not a folder\. Give it to this user/,
    )
  })
})
