import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { newPgliteServer } from '@mimiverse/db/testing'
import { onCleanup } from './fixtures'

const appDir = fileURLToPath(new URL('..', import.meta.url))

describe('production bundle', () => {
  it('builds into plain JavaScript that Node runs without tsx, proto and migrations included', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: appDir })
    const pg = await newPgliteServer()
    onCleanup(pg.close)
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: appDir,
      env: { ...process.env, DATABASE_URL: pg.url, AI_PORT: '0', AI_WARMUP: 'false', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    onCleanup(() => child.kill('SIGKILL'))
    // The service logs its port as JSON once it listens.
    const port = await new Promise<number>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const m = /"msg":"listening".*?"port":(\d+)/.exec(out)
        if (m?.[1]) resolve(Number(m[1]))
      })
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
    })
    const ready = await fetch(`http://127.0.0.1:${port}/ai/readyz`)
    expect(await ready.json()).toMatchObject({ status: 'ready' })
  })
})
