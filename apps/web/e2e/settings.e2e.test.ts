import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { apiClient, TEST_PASSWORD } from '@mimiverse/collab/testing'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { focusEditor, openFile, openProject } from './ide'

/** What Monaco shows: the rendered font size, the theme's class on the editor, Vim's mode line. */
async function editorLook(page: Page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.monaco-editor')
    const lines = document.querySelector<HTMLElement>('.monaco-editor .view-lines')
    return {
      fontSize: lines ? getComputedStyle(lines).fontSize : null,
      theme: ['hc-black', 'vs-dark', 'vs'].find((c) => editor?.classList.contains(c)) ?? null,
      // Monaco keeps the minimap's element when it is off, at no width.
      minimap: (document.querySelector('.monaco-editor .minimap')?.getBoundingClientRect().width ?? 0) > 0,
      vim: document.querySelector('[data-testid=vim-status]')?.textContent ?? null,
    }
  })
}

/** Settings are the account's: set in one browser, they apply after a reload and on another device. */
describe('settings', () => {
  let h: Harness
  let ann: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Settings' })).id
    await ann.api.files.create.mutate({ projectId, path: 'main.ts', content: 'const a = 1\n' })
  })
  afterAll(() => h?.close())

  it('applies a change live, after a reload, and in a second browser signed in as the same user', async () => {
    const page = ann.page
    await openProject(page, h.server.url, projectId)
    await openFile(page, 'main.ts')
    expect(await editorLook(page)).toMatchObject({ fontSize: '14px', theme: 'vs-dark', vim: null })

    await focusEditor(page)
    await page.keyboard.press('Control+Shift+P')
    await page.getByRole('combobox', { name: 'Command palette' }).waitFor()
    await page.keyboard.type('settings')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toBe('Preferences: Settings')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Font size').fill('20')
    await dialog.getByRole('combobox', { name: 'Theme' }).selectOption('light')
    await dialog.getByRole('checkbox', { name: 'Minimap' }).uncheck()
    await dialog.getByRole('checkbox', { name: 'Vim key bindings' }).check()
    const changed = { fontSize: '20px', theme: 'vs', minimap: false, vim: expect.stringMatching(/NORMAL/i) }
    await expect.poll(() => editorLook(page), { timeout: 20_000 }).toMatchObject(changed)
    await expect
      .poll(() => ann.api.settings.get.query())
      .toMatchObject({ fontSize: 20, theme: 'light', minimap: false, vim: true })
    await dialog.getByRole('button', { name: 'Close' }).click()

    // Vim keys drive the editor: `A` appends at the line's end in insert mode.
    await focusEditor(page)
    await page.keyboard.press('Shift+A')
    await expect.poll(() => editorLook(page).then((l) => l.vim)).toMatch(/INSERT/i)
    await page.keyboard.press('Escape')

    await page.reload()
    await openFile(page, 'main.ts')
    await expect.poll(() => editorLook(page), { timeout: 20_000 }).toMatchObject(changed)

    // Another device: its own sign-in (its own session), nothing shared with the first browser but the account.
    const { token } = await apiClient(h.server.url).auth.signIn.mutate({
      email: ann.email,
      password: TEST_PASSWORD,
    })
    const other = await h.browser.newContext({ viewport: { width: 1280, height: 720 } })
    try {
      await other.addCookies([{ name: 'mimi_session', value: token, url: h.server.url }])
      const second = await other.newPage()
      await openProject(second, h.server.url, projectId)
      await openFile(second, 'main.ts')
      await expect.poll(() => editorLook(second), { timeout: 20_000 }).toMatchObject(changed)
      // And back: high contrast chosen on the second device shows in the first after a reload.
      await second.getByRole('button', { name: 'Settings' }).click()
      await second
        .getByRole('dialog', { name: 'Settings' })
        .getByRole('combobox', { name: 'Theme' })
        .selectOption('high-contrast')
      await expect.poll(() => editorLook(second).then((l) => l.theme)).toBe('hc-black')
      await expect.poll(() => ann.api.settings.get.query().then((s) => s.theme)).toBe('high-contrast')
    } finally {
      await other.close()
    }
    await page.reload()
    await openFile(page, 'main.ts')
    await expect.poll(() => editorLook(page).then((l) => l.theme), { timeout: 20_000 }).toBe('hc-black')
  })

  it("refuses a colour another member is shown in, naming them, and keeps one's own", async () => {
    const bob = await h.newUser('Bob')
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
    await bob.api.projects.join.mutate({ code })
    const colors = await ann.api.settings.colors.query({ projectId })
    const bobs = colors.find((c) => c.userId === bob.id)!.color
    const page = ann.page
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByRole('radio', { name: `Colour ${bobs}` }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/Bob is already shown in/)
    expect(await dialog.getByRole('radio', { name: 'Automatic' }).isChecked()).toBe(true)
    expect((await ann.api.settings.get.query()).color).toBeNull()
    await dialog.getByRole('button', { name: 'Close' }).click()
  })
})
