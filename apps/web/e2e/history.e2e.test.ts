import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, expectEditorText, openFile, openProject, pairOnFile } from './ide'

/** The text one side of the diff editor shows ('original' = the version, 'modified' = what it is compared with). */
function diffSide(page: Page, side: 'original' | 'modified'): Promise<string> {
  return page.evaluate((s) => {
    const lines = [...document.querySelectorAll<HTMLElement>(`.history-compare .editor.${s} .view-line`)]
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n')
  }, side)
}

async function runCommand(page: Page, query: string, label: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P')
  await page.getByRole('combobox', { name: 'Command palette' }).waitFor()
  await page.keyboard.type(query)
  await expect.poll(() => page.locator('.palette-item.selected').textContent()).toBe(label)
  await page.keyboard.press('Enter')
}

/** File history between two editors: a named version, blame, a comparison in the diff editor, a live restore. */
describe('history and blame', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string
  const serverText = () => ann.api.files.read.query({ projectId, path: 'notes.txt' }).then((r) => r.content)

  beforeAll(async () => {
    h = await newHarness()
    ;({ ann, bob, projectId } = await pairOnFile(h, { project: 'History', path: 'notes.txt', content: '' }))
  })
  afterAll(() => h?.close())

  it('names a version, blames both authors, compares the version with now and restores it for everyone', async () => {
    await caretToLineEnd(ann.page, 1)
    await ann.page.keyboard.type('ann wrote this', { delay: 10 })
    // A word may leave Monaco's suggestion list open, and Enter would accept a suggestion instead of a new line.
    await ann.page.keyboard.press('Escape')
    await ann.page.keyboard.press('Enter')
    await expect.poll(serverText, { timeout: 20_000 }).toBe('ann wrote this\n')

    // Ann names a version from the History view.
    await runCommand(ann.page, 'show history', 'File: Show history')
    const panel = ann.page.getByRole('region', { name: 'History' })
    await panel.getByRole('button', { name: 'Name a version…' }).click()
    const naming = ann.page.getByRole('dialog', { name: 'Name a version' })
    await naming.getByRole('textbox', { name: 'Name' }).fill('draft')
    await naming.getByRole('button', { name: 'Name version' }).click()
    const draft = panel.locator('.history-version-open', { hasText: 'draft' })
    await draft.waitFor({ timeout: 20_000 })

    // Blame names each line's author, and follows typing (read again a second after the text changes).
    await runCommand(ann.page, 'toggle blame', 'View: Toggle blame')
    const authors = async () =>
      (await ann.page.locator('.blame-label').allTextContents()).map(
        (l) =>
          l
            .replace(/\u00a0/g, ' ')
            .trim()
            .split(' · ')[0],
      )
    await expect.poll(authors, { timeout: 20_000 }).toContain('Ann')
    await caretToLineEnd(bob.page, 2)
    await bob.page.keyboard.type('bob added this', { delay: 10 })
    await expect.poll(serverText, { timeout: 20_000 }).toBe('ann wrote this\nbob added this')

    await expect.poll(authors, { timeout: 20_000 }).toEqual(['Ann', 'Bob'])

    // The named version against the file now, side by side, then inline.
    await draft.click()
    const compare = ann.page.getByRole('dialog', { name: 'Compare versions' })
    await expect.poll(() => diffSide(ann.page, 'original'), { timeout: 20_000 }).toBe('ann wrote this\n')
    await expect.poll(() => diffSide(ann.page, 'modified')).toBe('ann wrote this\nbob added this')
    // The file now follows Bob's typing while the comparison is open.
    await caretToLineEnd(bob.page, 2)
    await bob.page.keyboard.type(' live', { delay: 10 })
    await expect
      .poll(() => diffSide(ann.page, 'modified'), { timeout: 20_000 })
      .toBe('ann wrote this\nbob added this live')
    await compare.getByRole('button', { name: 'Inline' }).click()
    await compare.getByRole('button', { name: 'Side by side' }).waitFor()

    // Restoring is a forward edit: Bob's editor shows it live.
    await compare.getByRole('button', { name: 'Restore this version' }).click()
    await ann.page
      .getByRole('dialog', { name: 'Restore this version' })
      .getByRole('button', { name: 'Restore' })
      .click()
    await compare.waitFor({ state: 'detached', timeout: 20_000 })
    await expectEditorText(bob.page, 'ann wrote this\n')
    expect(await serverText()).toBe('ann wrote this\n')
    const kinds = (await ann.api.history.list.query({ projectId, path: 'notes.txt' })).map((v) => v.kind)
    expect(kinds).toContain('before-restore')
  })

  it('undoes everything one author wrote, for everyone', async () => {
    await caretToLineEnd(bob.page, 2)
    await bob.page.keyboard.type('bob again', { delay: 10 })
    await expect.poll(serverText, { timeout: 20_000 }).toBe('ann wrote this\nbob again')
    const panel = ann.page.getByRole('region', { name: 'History' })
    await panel.getByText('Undo an author’s edits…').click()
    const author = panel.getByRole('combobox', { name: 'Author' })
    // The menu lists the authors of the file's blame, read with the timeline every few seconds.
    await expect.poll(() => author.locator('option').allTextContents(), { timeout: 20_000 }).toContain('Bob')
    await author.selectOption({ label: 'Bob' })
    await panel.getByRole('button', { name: 'Undo everything Bob wrote' }).click()
    await ann.page
      .getByRole('dialog', { name: 'Undo an author’s edits' })
      .getByRole('button', { name: 'Undo their edits' })
      .click()
    await expectEditorText(bob.page, 'ann wrote this\n')
  })

  it('shows a reviewer the history and comparisons without the buttons that change the file', async () => {
    const rita = await h.newUser('Rita')
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'reviewer' })
    await rita.api.projects.join.mutate({ code })
    await openProject(rita.page, h.server.url, projectId)
    await openFile(rita.page, 'notes.txt')
    await rita.page.getByRole('tab', { name: 'History' }).click()
    const panel = rita.page.getByRole('region', { name: 'History' })
    await panel.locator('.history-version-open', { hasText: 'draft' }).click()
    await expect.poll(() => diffSide(rita.page, 'original'), { timeout: 20_000 }).toBe('ann wrote this\n')
    const compare = rita.page.getByRole('dialog', { name: 'Compare versions' })
    expect(await compare.getByRole('button', { name: 'Restore this version' }).count()).toBe(0)
    expect(await panel.getByRole('button', { name: /Restore|Name a version|Undo/ }).count()).toBe(0)
    expect(await panel.locator('.history-rollback').count()).toBe(0)
  })
})
