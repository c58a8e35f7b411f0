import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunnerHandler, parseRunnerEnv } from '@mimiverse/runner/handler'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { openProject } from './ide'

/** What the selected terminal of the panel shows, from xterm.js' rendered rows. */
function shownTerminal(page: Page): Promise<string> {
  return page.locator('.terminal-view:not([hidden]) .xterm-rows').innerText()
}

describe('shared terminals in the browser', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let rita: BrowserUser
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mimi-e2e-runner-'))
    h = await newHarness({
      mounts: ({ database, log, secret, accessChanges }) => [
        createRunnerHandler({
          env: parseRunnerEnv({ DATA_DIR: dataDir, RUNNER_MAX_PROCESSES: '64' }),
          database,
          log,
          secret,
          accessChanges,
        }),
      ],
    })
    ;[ann, bob, rita] = [await h.newUser('Ann'), await h.newUser('Bob'), await h.newUser('Rita')]
    const projectId = (await ann.api.projects.create.mutate({ name: 'Shell' })).id
    for (const [user, role] of [
      [bob, 'editor'],
      [rita, 'reviewer'],
    ] as const) {
      const { code } = await ann.api.projects.invite.mutate({ projectId, role })
      await user.api.projects.join.mutate({ code })
    }
    for (const u of [ann, bob, rita]) {
      await openProject(u.page, h.server.url, projectId)
      await u.page.getByRole('button', { name: 'Terminal ▴' }).click()
    }
  })
  afterAll(async () => {
    await h?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('types `echo` in one browser and shows the answer in another', async () => {
    await ann.page.getByRole('button', { name: 'New terminal' }).click()
    await ann.page.locator('.terminal-view:not([hidden]) .xterm').waitFor()
    await expect.poll(() => shownTerminal(ann.page), { timeout: 20_000 }).toContain('$')
    await ann.page.locator('.terminal-view:not([hidden]) .xterm').click()
    await ann.page.keyboard.type('echo hello-$((40 + 2))')
    await ann.page.keyboard.press('Enter')
    await expect.poll(() => shownTerminal(bob.page), { timeout: 20_000 }).toContain('hello-42')
    await expect
      .poll(() => bob.page.locator('.terminal-typing').innerText(), { timeout: 20_000 })
      .toContain('Ann')
  })

  it('lets a reviewer watch but not type', async () => {
    await expect.poll(() => shownTerminal(rita.page), { timeout: 20_000 }).toContain('hello-42')
    expect(await rita.page.getByRole('button', { name: 'New terminal' }).count()).toBe(0)
    await rita.page.locator('.terminal-view:not([hidden]) .xterm').click()
    await rita.page.keyboard.type('echo rita-$((1 + 1))')
    await rita.page.keyboard.press('Enter')
    // Bob's line runs after anything Rita's keystrokes could have done.
    await bob.page.locator('.terminal-view:not([hidden]) .xterm').click()
    await bob.page.keyboard.type('echo bob-$((2 + 2))')
    await bob.page.keyboard.press('Enter')
    await expect.poll(() => shownTerminal(ann.page), { timeout: 20_000 }).toContain('bob-4')
    expect(await shownTerminal(ann.page)).not.toContain('rita')
  })
})
