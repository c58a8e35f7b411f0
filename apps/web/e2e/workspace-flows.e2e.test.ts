import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { openFile, openProject } from './ide'

/** Accounts, projects, the file tree, sharing, and the error screens, driven through the UI. */
describe('workspace flows', () => {
  let h: Harness
  let ann: BrowserUser
  let projectId: string
  const paths = async () => (await ann.api.files.list.query({ projectId })).map((f) => f.path)

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
  })
  afterAll(() => h?.close())

  it('signs up, signs out, explains a wrong password, and signs in', async () => {
    const page = await (await h.browser.newContext()).newPage()
    const email = `zoe-${Date.now()}@example.com`
    await page.goto(h.server.url)
    await page.waitForURL(/\/sign-in/)
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Name').fill('Zoe')
    await page.getByLabel('Email').fill(email)
    // Weak passwords are refused with the server's words (the form checks first, the server again).
    await page.getByLabel('Password').fill('password')
    await page.getByRole('button', { name: 'Sign up' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('password: must be at least 10 characters')
    await page.getByLabel('Password').fill('password123')
    await page.getByRole('button', { name: 'Sign up' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^password: is too easy to guess/)
    await page.getByLabel('Password').fill('correct horse battery')
    await page.getByRole('button', { name: 'Sign up' }).click()
    await page.getByRole('heading', { name: 'Projects' }).waitFor()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/sign-in/)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('wrong password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i)
    await page.getByLabel('Password').fill('correct horse battery')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Projects' }).waitFor()
    await page.context().close()
  })

  it('creates a project, files and folders, renames and deletes them', async () => {
    const page = ann.page
    await page.goto(h.server.url)
    await page.getByLabel('New project name').fill('Flows')
    await page.getByRole('button', { name: 'Create project' }).click()
    await page.waitForURL(/\/p\//)
    projectId = new URL(page.url()).pathname.split('/')[2]!

    await page.getByRole('button', { name: 'New file', exact: true }).click()
    await fillDialog(page, 'Path', 'src/main.py', 'Create')
    await page.locator('.tab.active[data-path="src/main.py"]').waitFor()
    await expect.poll(() => page.locator('.status-bar').textContent()).toContain('python')

    await treeAction(page, 'src', 'New file in src')
    await fillDialog(page, 'Path', 'src/util.py', 'Create')
    await page.getByRole('button', { name: 'New folder', exact: true }).click()
    await fillDialog(page, 'Path', 'docs', 'Create')
    await page.locator('.tree-row[data-path="docs"]').waitFor()
    await expect.poll(paths).toEqual(['src/main.py', 'src/util.py'])

    await treeAction(page, 'src/util.py', 'Rename src/util.py')
    await fillDialog(page, 'New path', 'src/helpers.py', 'Rename')
    await treeAction(page, 'src', 'Rename src')
    await fillDialog(page, 'New path', 'app', 'Rename')
    await expect.poll(paths).toEqual(['app/helpers.py', 'app/main.py'])
    // Open tabs follow renames: a file keeps its document (and its tab) under a new path.
    await page.locator('.tab.active[data-path="app/helpers.py"]').waitFor()
    await page.locator('.tab[data-path="app/main.py"]').waitFor()

    await treeAction(page, 'app/helpers.py', 'Delete app/helpers.py')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(paths).toEqual(['app/main.py'])
  })

  it("refuses an invalid path with the reason, its own or the server's", async () => {
    const dialog = ann.page.getByRole('dialog')
    const refusal = async (path: string) => {
      await dialog.getByLabel('Path').fill(path)
      await dialog.getByRole('button', { name: 'Create' }).click()
      await expect.poll(() => dialog.getByRole('alert').textContent()).not.toBe(null)
      return dialog.getByRole('alert').textContent()
    }
    await ann.page.getByRole('button', { name: 'New file', exact: true }).click()
    expect(await refusal('../escape.txt')).toMatch(/normalized/)
    expect(await refusal('a\u202Etxt.exe')).toMatch(/U\+202E, an invisible direction-changing/)
    // Only the server knows the other files: its answer shows in the dialog, which stays open.
    expect(await refusal('App/notes.md')).toMatch(/"App" differs only in case from the existing folder "app"/)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(paths).toEqual(['app/main.py'])
  })

  it('shares an invite link that a new user joins after signing up', async () => {
    await ann.page.getByRole('button', { name: 'Share' }).click()
    await ann.page.getByLabel(/Reviewer/).check()
    await ann.page.getByRole('button', { name: 'Create invite link' }).click()
    const link = await ann.page.getByLabel('Invite link').inputValue()
    expect(link).toMatch(/\/join\//)
    await ann.page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click()

    const page = await (await h.browser.newContext()).newPage()
    await page.goto(link)
    await page.waitForURL(/\/sign-in\?next=/)
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Name').fill('Rev')
    await page.getByLabel('Email').fill(`rev-${Date.now()}@example.com`)
    await page.getByLabel('Password').fill('correct horse battery')
    await page.getByRole('button', { name: 'Sign up' }).click()
    await page.waitForURL(new RegExp(`/p/${projectId}$`))
    await page.getByText('You are a reviewer').waitFor()
    await expect(page.locator('.top-bar .role-badge').textContent()).resolves.toBe('reviewer')
    await page.context().close()
  })

  it('closes the tab of a file someone else deletes, with a notice', async () => {
    const bob = await h.newUser('Bob')
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
    await bob.api.projects.join.mutate({ code })
    await openProject(bob.page, h.server.url, projectId)
    await openFile(bob.page, 'app/main.py')
    const file = (await ann.api.files.list.query({ projectId })).find((f) => f.path === 'app/main.py')!
    await ann.api.files.delete.mutate({ projectId, fileId: file.id })
    await bob.page.getByText('was deleted or moved away').waitFor()
    await expect.poll(() => bob.page.locator('.tab').count()).toBe(0)
  })

  it('says so when the server cannot be reached, instead of a blank page', async () => {
    const page = await (await h.browser.newContext()).newPage()
    await page.route('**/trpc/**', (route) => route.abort('connectionrefused'))
    await page.goto(h.server.url)
    await page.getByRole('heading', { name: 'Cannot reach Mimiverse' }).waitFor()
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Cannot reach the Mimiverse server/)
    await page.context().close()
  })

  it('explains a project the user is not a member of', async () => {
    const eve = await h.newUser('Eve')
    await eve.page.goto(`${h.server.url}/p/${projectId}`)
    await eve.page.getByRole('heading', { name: 'Cannot open this project' }).waitFor()
  })
})

async function fillDialog(page: Page, label: string, value: string, submit: string): Promise<void> {
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel(label).fill(value)
  await dialog.getByRole('button', { name: submit }).click()
  await dialog.waitFor({ state: 'detached' })
}

/** Tree actions show on hover, as in desktop editors. */
async function treeAction(page: Page, path: string, action: string): Promise<void> {
  const row = page.locator(`.tree-row[data-path="${path}"]`)
  await row.hover()
  await row.getByRole('button', { name: action, exact: true }).click()
}
