import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { spawnServer } from '../src/testing/index'
import { onCleanup } from './fixtures'

const appDir = fileURLToPath(new URL('..', import.meta.url))
// Every committed migration (each issue adds its own), applied by the bundled migrator.
const journal = new URL('../../../db/migrations/meta/_journal.json', import.meta.url)
const migrations = (JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length

describe('production bundle', () => {
  it('builds into plain JavaScript that Node runs without tsx, migrations and database thread included', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: appDir })
    const dir = await newTempDir()
    onCleanup(dir.remove)
    const server = await spawnServer({ DATA_DIR: dir.path }, ['dist/server/main.js'])
    onCleanup(() => server.child.kill('SIGKILL'))
    const ready = await fetch(`${server.url}/readyz`)
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      migrations: { expected: migrations, applied: migrations },
    })
    // The embedded database's thread (a file beside the bundle) answers for its heap, which the process's own
    // heap gauges do not count.
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^mimi_collab_database_thread_heap_bytes [1-9]\d*$/m)
  })
})
