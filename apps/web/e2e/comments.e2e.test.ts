import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, sharedProject, screenshots, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, openFile, openProject } from './ide'

/** Review comments between two browsers: a reviewer starts a thread, the owner sees it live and answers. */
describe('review comments', () => {
  let h: Harness
  let ann: BrowserUser
  let rita: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    rita = await h.newUser('Rita')
    projectId = await sharedProject(ann, 'Comments', [{ user: rita, role: 'reviewer' }])
    await ann.api.files.create.mutate({ projectId, path: 'notes.txt', content: 'first line\nsecond line\n' })
    for (const u of [ann, rita]) {
      await openProject(u.page, h.server.url, projectId)
      await openFile(u.page, 'notes.txt')
    }
  })
  afterAll(() => h?.close())

  it('a thread started in one browser appears live in the other, with its reply', async () => {
    // Rita (a reviewer) selects the second line and comments through the command palette.
    await caretToLineEnd(rita.page, 2)
    await rita.page.keyboard.press('Shift+Home')
    await rita.page.keyboard.press('Control+Shift+P')
    await rita.page.getByRole('combobox', { name: 'Command palette' }).waitFor()
    await rita.page.keyboard.type('comment on selection')
    await expect
      .poll(() => rita.page.getByRole('option', { selected: true }).textContent())
      .toBe('Comments: Comment on selection')
    await rita.page.keyboard.press('Enter')
    const box = rita.page
      .getByRole('dialog', { name: 'New comment' })
      .getByRole('textbox', { name: 'Comment' })
    await box.waitFor()
    await box.fill('<b>why</b> second? @Ann')
    await box.press('Control+Enter')
    await rita.page.getByRole('dialog', { name: 'New comment' }).waitFor({ state: 'detached' })

    // Ann sees the gutter mark and, in the Comments view, the thread (as text), without reloading.
    await ann.page.locator('.comment-glyph').first().waitFor({ timeout: 20_000 })
    await ann.page.getByRole('tab', { name: 'Comments' }).click()
    const thread = ann.page.locator('.comments-panel .comment-thread')
    await expect
      .poll(() => thread.locator('.comment-body').first().textContent(), { timeout: 20_000 })
      .toBe('<b>why</b> second? @Ann')
    expect(await thread.locator('b').count()).toBe(0)
    await expect.poll(() => ann.page.locator('.comment-inbox .comment-mention').count()).toBe(1)

    // Ann replies from the panel; Rita's inline view of the thread (opened from the gutter mark) gets it live.
    await rita.page.locator('.comment-glyph').first().click()
    const inline = rita.page.getByRole('dialog', { name: 'Comment thread' })
    await inline.waitFor()
    const reply = thread.getByRole('textbox', { name: 'Reply' })
    await reply.fill('because')
    await reply.press('Control+Enter')
    await expect
      .poll(() => inline.locator('.comment-body').allTextContents(), { timeout: 20_000 })
      .toEqual(['<b>why</b> second? @Ann', 'because'])
    await mkdir(screenshots, { recursive: true })
    await rita.page.screenshot({ path: join(screenshots, 'ide-comments.png') })
    const [listed] = await ann.api.comments.list.query({ projectId })
    expect(listed).toMatchObject({
      quote: 'second line',
      author: { name: 'Rita' },
      replies: [{ body: 'because' }],
    })
  })
})
