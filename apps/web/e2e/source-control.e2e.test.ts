import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTRPCClient, httpLink } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountRunner, parseRunnerEnv } from '@mimiverse/runner/handler'
import type { RunnerRouter } from '@mimiverse/runner/git'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { openProject } from './ide'

const WAIT = { timeout: 30_000 }

describe('source control in the browser', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mimi-e2e-git-'))
    h = await newHarness({
      mounts: (deps) => [
        mountRunner(deps, parseRunnerEnv({ DATA_DIR: dataDir, RUNNER_MAX_PROCESSES: '64' })),
      ],
    })
    ;[ann, bob] = [await h.newUser('Ann'), await h.newUser('Bob')]
    const projectId = (await ann.api.projects.create.mutate({ name: 'Repo' })).id
    await ann.api.files.create.mutate({ projectId, path: 'hello.txt', content: 'hello\n' })
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
    await bob.api.projects.join.mutate({ code })
    const runner = createTRPCClient<RunnerRouter>({
      links: [
        httpLink({ url: `${h.server.url}/runner/trpc`, headers: { authorization: `Bearer ${ann.token}` } }),
      ],
    })
    await runner.git.init.mutate({ projectId })
    for (const u of [ann, bob]) {
      await openProject(u.page, h.server.url, projectId)
      await u.page.getByRole('tab', { name: 'Source control' }).click()
    }
  })
  afterAll(async () => {
    await h?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('shows the diff, stages and commits with a message typed by two; the log updates in a second browser', async () => {
    const changes = ann.page.getByRole('group', { name: 'Changes', exact: true })
    await changes.getByRole('button', { name: 'hello.txt', exact: true }).click({ timeout: WAIT.timeout })
    // Monaco's diff editor shows the new file's text.
    await expect
      .poll(() => ann.page.locator('.monaco-diff-editor .modified .view-lines').innerText(), WAIT)
      .toContain('hello')
    await ann.page.getByRole('button', { name: 'Close' }).click()

    await ann.page.getByRole('button', { name: 'Stage hello.txt' }).click()
    await ann.page
      .getByRole('group', { name: 'Staged changes' })
      .getByRole('button', { name: 'hello.txt', exact: true })
      .waitFor(WAIT)
    // The message is one shared text: Ann starts it, Bob finishes it, both see all of it.
    const annMessage = ann.page.getByRole('textbox', { name: 'Commit message' })
    const bobMessage = bob.page.getByRole('textbox', { name: 'Commit message' })
    await annMessage.fill('Hello', WAIT)
    await expect.poll(() => bobMessage.inputValue(), WAIT).toBe('Hello')
    await bobMessage.click()
    await bob.page.keyboard.press('End')
    await bob.page.keyboard.type(' from the panel')
    await expect.poll(() => annMessage.inputValue(), WAIT).toBe('Hello from the panel')
    await ann.page.getByRole('button', { name: 'Commit', exact: true }).click()

    const bobLog = bob.page.getByRole('list', { name: 'Log' })
    await expect.poll(() => bobLog.innerText(), WAIT).toContain('Hello from the panel')
    expect(await bobLog.innerText()).toContain('Ann')
    // A successful commit clears the shared message for everyone.
    await expect.poll(() => bobMessage.inputValue(), WAIT).toBe('')
    expect(await annMessage.inputValue()).toBe('')
    await expect
      .poll(() => bob.page.getByRole('group', { name: 'Changes', exact: true }).innerText(), WAIT)
      .toContain('(0)')
  })
})
