import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, editorText, expectEditorText, focusEditor, openFile, openProject } from './ide'

describe('a reviewer', () => {
  let h: Harness
  let ann: BrowserUser
  let rita: BrowserUser
  let projectId: string
  const serverText = (path: string) => ann.api.files.read.query({ projectId, path }).then((r) => r.content)
  const longFile = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n')

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    rita = await h.newUser('Rita')
    projectId = (await ann.api.projects.create.mutate({ name: 'Review me' })).id
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'reviewer' })
    await rita.api.projects.join.mutate({ code })
    await ann.api.files.create.mutate({ projectId, path: 'notes.txt', content: 'first\nsecond\n' })
    await ann.api.files.create.mutate({ projectId, path: 'src/long.txt', content: longFile })
    for (const u of [ann, rita]) {
      await openProject(u.page, h.server.url, projectId)
      await openFile(u.page, 'notes.txt')
    }
  })
  afterAll(() => h?.close())

  it('sees edits live, is told the file is read-only, and never says "Saved"', async () => {
    await expect(
      rita.page.getByRole('status').filter({ hasText: 'You are a reviewer' }).isVisible(),
    ).resolves.toBe(true)
    await caretToLineEnd(ann.page, 1)
    await ann.page.keyboard.type(' live')
    await expectEditorText(rita.page, 'first live\nsecond\n')
    await expect(rita.page.getByTestId('save-status').textContent()).resolves.toBe('Read-only')
  })

  it('cannot change the text: keystrokes do nothing locally or on the server', async () => {
    await caretToLineEnd(rita.page, 2)
    await rita.page.keyboard.type('XYZ')
    await rita.page.keyboard.press('Enter')
    await rita.page.keyboard.press('Backspace')
    await rita.page.keyboard.press('Control+z')
    // A later edit by Ann reaching Rita proves Rita's keystrokes had their chance to travel too.
    await caretToLineEnd(ann.page, 2)
    await ann.page.keyboard.type(' marker')
    await expectEditorText(rita.page, 'first live\nsecond marker\n')
    expect(await serverText('notes.txt')).toBe('first live\nsecond marker\n')
  })

  it('follows an editor into another file and keeps their cursor in view', async () => {
    await mkdir(screenshots, { recursive: true })
    await rita.page.locator('.presence-row[data-user="Ann"]').click()
    await rita.page.locator('.presence-row.following[data-user="Ann"]').waitFor()
    await openFile(ann.page, 'src/long.txt')
    await rita.page.locator('.tab.active[data-path="src/long.txt"]').waitFor()
    await caretToLineEnd(ann.page, 250)
    await ann.page.keyboard.type(' <- ann')
    await expect.poll(() => editorText(rita.page), { timeout: 15_000 }).toContain('line 250 <- ann')
    await rita.page.screenshot({ path: join(screenshots, 'ide-reviewer-following.png') })

    await focusEditor(rita.page)
    await expect.poll(() => rita.page.locator('.presence-row.following').count()).toBe(0)
  })
})
