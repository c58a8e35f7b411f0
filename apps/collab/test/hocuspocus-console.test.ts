import { describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { spawnServer, signUp } from '../src/testing/index'
import { Attacker } from '../src/testing/attacker'
import { authFrame } from '../src/testing/fuzz-frames'
import { onCleanup } from './fixtures'

const ALREADY_AUTHENTICATED =
  'Received an authentication message on a connection that is already fully authenticated'

describe("Hocuspocus' own console messages", () => {
  it('come out of the real process as one JSON line of the collab logger', async () => {
    const dir = await newTempDir()
    onCleanup(dir.remove)
    const server = await spawnServer({ DATA_DIR: dir.path })
    onCleanup(() => server.child.kill('SIGKILL'))
    const owner = await signUp(server.url, 'Owner')
    const project = await owner.api.projects.create.mutate({ name: 'demo' })
    const file = await owner.api.files.create.mutate({ projectId: project.id, path: 'a.ts', content: 'a' })
    const { token } = await owner.api.collab.token.mutate({ projectId: project.id })
    const client = new Attacker(server.url, file.docName, token)
    onCleanup(() => client.close())
    expect(await client.connect()).toBe(true)

    // An Auth message only a server sends ("authenticated"), on an authenticated connection: Hocuspocus itself
    // reports it with console.error.
    expect(await client.burst([authFrame(file.docName, token, 2)])).toBe('answered')
    await expect
      .poll(() => server.output().includes(ALREADY_AUTHENTICATED), { timeout: 10_000, interval: 20 })
      .toBe(true)
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes(ALREADY_AUTHENTICATED))
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      component: 'hocuspocus',
      package: '@hocuspocus/server',
      msg: expect.stringContaining(ALREADY_AUTHENTICATED),
      text: expect.stringContaining(ALREADY_AUTHENTICATED),
    })
  })
})
