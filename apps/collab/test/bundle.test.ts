import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { spawnServer } from '../src/testing/index'
import { onCleanup } from './fixtures'

const appDir = fileURLToPath(new URL('..', import.meta.url))

describe('production bundle', () => {
  it('builds into plain JavaScript that Node runs without tsx, migrations included', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: appDir })
    const dir = await newTempDir()
    onCleanup(dir.remove)
    const server = await spawnServer({ DATA_DIR: dir.path }, ['dist/server/main.js'])
    onCleanup(() => server.child.kill('SIGKILL'))
    const ready = await fetch(`${server.url}/readyz`)
    expect(await ready.json()).toMatchObject({ status: 'ready', migrations: { expected: 2, applied: 2 } })
  })
})
