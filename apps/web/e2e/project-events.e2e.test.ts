import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, sharedProject, type BrowserUser, type Harness } from './harness'
import { openProject } from './ide'

/**
 * What the server announces reaches a browser that has no file open: the file tree and the Comments view follow
 * within seconds (their fallback reads come every 30 s, so only the announcement is fast enough here).
 */
const ANNOUNCED = { timeout: 10_000 }

describe('project announcements', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    bob = await h.newUser('Bob')
    projectId = await sharedProject(ann, 'Events', [{ user: bob, role: 'editor' }])
    await ann.api.files.create.mutate({ projectId, path: 'a.ts', content: 'export const a = 1\n' })
    await openProject(bob.page, h.server.url, projectId)
    await bob.page.locator('.tree-row[data-path="a.ts"]').waitFor()
  })
  afterAll(() => h?.close())

  it("shows another member's new file, rename and comment without any file open", async () => {
    expect(await bob.page.locator('.tab').count()).toBe(0)
    const created = await ann.api.files.create.mutate({ projectId, path: 'b.ts' })
    await bob.page.locator('.tree-row[data-path="b.ts"]').waitFor(ANNOUNCED)
    await ann.api.files.rename.mutate({ projectId, fileId: created.id, path: 'c.ts' })
    await bob.page.locator('.tree-row[data-path="c.ts"]').waitFor(ANNOUNCED)
    expect(await bob.page.locator('.tree-row[data-path="b.ts"]').count()).toBe(0)

    await bob.page.getByRole('tab', { name: 'Comments' }).click()
    await ann.api.comments.create.mutate({ projectId, path: 'a.ts', from: 0, to: 6, body: 'why export?' })
    await expect
      .poll(() => bob.page.locator('.comments-panel .comment-body').first().textContent(), ANNOUNCED)
      .toBe('why export?')
  })
})
