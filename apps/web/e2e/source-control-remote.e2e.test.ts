import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountRunner, parseRunnerEnv } from '@mimiverse/runner/handler'
import { newGitHttpServer, type GitHttpServer } from '@mimiverse/runner/testing/git-http-server'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { openProject } from './ide'

const WAIT = { timeout: 30_000 }
const AUTH = { username: 'ann', token: 'tok-e2e-5b1d9c' }

describe('the Remote section of source control', () => {
  let h: Harness
  let remote: GitHttpServer
  let ann: BrowserUser
  let rita: BrowserUser
  let dataDir: string
  let projectId: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mimi-e2e-remote-'))
    remote = await newGitHttpServer(AUTH)
    await remote.createRepo('shared', { 'README.md': '# shared\n' })
    h = await newHarness({
      mounts: (deps) => [
        mountRunner(
          deps,
          parseRunnerEnv({ DATA_DIR: dataDir, RUNNER_MAX_PROCESSES: '64', RUNNER_GIT_REMOTES: '127.0.0.1' }),
        ),
      ],
    })
    ;[ann, rita] = [await h.newUser('Ann'), await h.newUser('Rita')]
    projectId = (await ann.api.projects.create.mutate({ name: 'Cloned' })).id
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'reviewer' })
    await rita.api.projects.join.mutate({ code })
    for (const u of [ann, rita]) {
      await openProject(u.page, h.server.url, projectId)
      await u.page.getByRole('tab', { name: 'Source control' }).click()
    }
  })
  afterAll(async () => {
    await h?.close()
    await remote?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('sets the remote with a token, clones and pulls; a reviewer sees it all without the controls', async () => {
    const section = ann.page.getByRole('group', { name: 'Remote' })
    await section.getByRole('textbox', { name: 'Remote URL' }).fill(remote.url('shared'), WAIT)
    await section.getByRole('textbox', { name: 'Username' }).fill(AUTH.username)
    await section.getByLabel('Token or password').fill(AUTH.token)
    await section.getByRole('button', { name: 'Save remote' }).click()
    await expect.poll(() => section.innerText(), WAIT).toContain('credentials set (ann)')
    expect(await ann.page.content()).not.toContain(AUTH.token)

    await section.getByRole('button', { name: 'Clone' }).click()
    const log = ann.page.getByRole('list', { name: 'Log' })
    await expect.poll(() => log.innerText(), WAIT).toContain('First commit')
    await expect
      .poll(() => section.getByRole('status', { name: 'Remote result' }).innerText(), WAIT)
      .toBe('Clone by Ann: Cloned main (1 files)')
    const paths = async () => (await ann.api.files.list.query({ projectId })).map((f) => f.path).sort()
    expect(await paths()).toEqual(['README.md'])

    await remote.commitTo('shared', { 'notes.md': 'from elsewhere\n' }, 'Remote change')
    await section.getByRole('button', { name: 'Pull' }).click()
    await expect.poll(() => log.innerText(), WAIT).toContain('Remote change')
    expect(await paths()).toEqual(['README.md', 'notes.md'])

    // The reviewer follows: the URL, the result and the log, and no control to change or run anything.
    const ritas = rita.page.getByRole('group', { name: 'Remote' })
    await expect.poll(() => ritas.innerText(), WAIT).toContain(remote.url('shared'))
    await expect.poll(() => ritas.innerText(), WAIT).toContain('Pull by Ann: Pulled main (fast-forward)')
    await expect
      .poll(() => rita.page.getByRole('list', { name: 'Log' }).innerText(), WAIT)
      .toContain('Remote change')
    for (const name of ['Fetch', 'Pull', 'Push', 'Clone', 'Edit remote', 'Save remote']) {
      expect(await ritas.getByRole('button', { name }).count()).toBe(0)
    }
    expect(await ritas.getByRole('textbox').count()).toBe(0)
    expect(await rita.page.content()).not.toContain(AUTH.token)
  })
})
