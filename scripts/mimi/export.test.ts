import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { safeTarget } from './export'

const dirs: { path: string; remove(): Promise<void> }[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await dir.remove()
})

describe('safeTarget', () => {
  it('places a project path under the folder', async () => {
    const root = (await newTempDir('mimi-export-')).path
    dirs.push({ path: root, remove: () => Promise.resolve() })
    expect(await safeTarget(root, 'src/a.ts')).toMatch(/\/src\/a\.ts$/)
  })

  it('refuses paths and links that lead outside the folder', async () => {
    const root = await newTempDir('mimi-export-')
    const outside = await newTempDir('mimi-outside-')
    dirs.push(root, outside)
    await symlink(outside.path, join(root.path, 'escape'))
    await symlink(join(outside.path, 'f'), join(root.path, 'file-link'))
    await mkdir(join(root.path, 'folder'))
    await expect(safeTarget(root.path, '../x')).rejects.toThrow('must be normalized')
    await expect(safeTarget(root.path, '/etc/passwd')).rejects.toThrow('relative to the project root')
    await expect(safeTarget(root.path, 'escape/x')).rejects.toThrow('leads outside')
    await expect(safeTarget(root.path, 'file-link')).rejects.toThrow('is a symbolic link')
    await expect(safeTarget(root.path, 'folder')).rejects.toThrow('a folder has that name')
  })
})
