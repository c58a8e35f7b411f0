import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { expectEditorText, focusEditor, openFile, openProject, waitForBoundFile } from './ide'

/** Quick open, the command palette and the New file dialog, driven from the keyboard as a person would. */
describe('quick open and the command palette', () => {
  let h: Harness
  let ann: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Palette' })).id
    for (const path of ['README.md', 'src/main.ts', 'src/components/button/index.ts', 'src/utils/strings.ts'])
      await ann.api.files.create.mutate({ projectId, path, content: `// ${path}\n` })
    await openProject(ann.page, h.server.url, projectId)
  })
  afterAll(() => h?.close())

  it('finds a nested file by a fuzzy query and opens it on Enter', async () => {
    const page = ann.page
    await openFile(page, 'README.md')
    await focusEditor(page)
    await page.keyboard.press('Control+p')
    const box = page.getByRole('combobox', { name: 'Go to file' })
    await box.waitFor()
    // Recently shown files first: the one open now leads the list before anything is typed.
    await expect.poll(() => page.getByRole('option').first().textContent()).toBe('README.md')
    await page.keyboard.type('cbtnidx')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toBe('src/components/button/index.ts')
    await page.keyboard.press('Enter')
    await waitForBoundFile(page, 'src/components/button/index.ts')
    await expect.poll(() => box.count()).toBe(0)
  })

  it('runs "Share" and a Monaco command from the palette', async () => {
    const page = ann.page
    await page.keyboard.press('Control+Shift+P')
    const box = page.getByRole('combobox', { name: 'Command palette' })
    await box.waitFor()
    await page.keyboard.type('share')
    await expect.poll(() => page.getByRole('option', { selected: true }).textContent()).toBe('Project: Share')
    await page.keyboard.press('Enter')
    const invite = page.getByRole('dialog', { name: 'Share project' })
    await invite.waitFor()
    await invite.getByRole('button', { name: 'Close' }).click()

    await openFile(page, 'src/main.ts')
    await focusEditor(page)
    await page.keyboard.press('Control+a')
    await page.keyboard.press('F1')
    await box.waitFor()
    // Shortcuts are shown beside the IDE's commands.
    await page.keyboard.type('search in files')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).locator('kbd').textContent())
      .toBe('Ctrl+Shift+F')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('transform to uppercase')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toBe('Editor: Transform to Uppercase')
    await page.keyboard.press('Enter')
    await expectEditorText(page, '// SRC/MAIN.TS\n')
    await expect
      .poll(() => ann.api.files.read.query({ projectId, path: 'src/main.ts' }).then((r) => r.content))
      .toBe('// SRC/MAIN.TS\n')
  })

  it('the New file dialog takes typing at once', async () => {
    const page = ann.page
    await page.getByRole('button', { name: 'New file', exact: true }).click()
    await page.getByRole('dialog', { name: 'New file' }).waitFor()
    await page.keyboard.type('notes/todo.md')
    await page.keyboard.press('Enter')
    await waitForBoundFile(page, 'notes/todo.md')
  })
})
