import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { openProject } from './ide'

/** Panels resize by dragging their edges, keep their size across a reload, and presets rearrange them. */
describe('layout', () => {
  let h: Harness
  let ann: BrowserUser
  let projectId: string
  const width = (selector: string) =>
    ann.page.locator(selector).evaluate((e) => Math.round(e.getBoundingClientRect().width))

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Layout' })).id
    await ann.api.files.create.mutate({ projectId, path: 'a.ts', content: 'export const a = 1\n' })
    await openProject(ann.page, h.server.url, projectId)
  })
  afterAll(() => h?.close())

  it('resizes the sidebar by dragging its edge and remembers it after a reload', async () => {
    const page = ann.page
    expect(await width('.sidebar')).toBe(260)
    // Only the chosen sidebar view shows: the others are hidden, whatever their own display.
    await expect.poll(() => page.getByRole('region', { name: 'Files' }).isVisible()).toBe(true)
    for (const view of ['Source control', 'Search', 'Comments', 'History'])
      expect(await page.getByRole('region', { name: view }).isVisible()).toBe(false)
    const edge = await page.getByTestId('sidebar-splitter').boundingBox()
    if (!edge) throw new Error('no sidebar splitter on the page')
    const x = edge.x + edge.width / 2
    const y = edge.y + 200
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 60, y, { steps: 4 })
    await page.mouse.move(x + 120, y, { steps: 4 })
    await page.mouse.up()
    await expect.poll(() => width('.sidebar')).toBe(380)

    await page.reload()
    await page.locator('.tree, .files-section').first().waitFor()
    expect(await width('.sidebar')).toBe(380)
  })

  it('applies a layout preset from the command palette: Chat opens a wide chat', async () => {
    const page = ann.page
    await page.keyboard.press('Control+Shift+P')
    await page.getByRole('combobox', { name: 'Command palette' }).waitFor()
    await page.keyboard.type('layout chat')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toBe('View: Layout: Chat')
    await page.keyboard.press('Enter')
    await expect.poll(() => width('.chat-panel')).toBe(560)
    expect(await width('.sidebar')).toBe(220)
    // The chat's edge moves with the keyboard too: ArrowLeft widens a panel docked on the right.
    await page.getByTestId('chat-splitter').focus()
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => width('.chat-panel')).toBe(576)
  })
})
