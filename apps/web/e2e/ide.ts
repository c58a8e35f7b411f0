import type { Page } from 'playwright-core'
import type { BrowserUser, Harness } from './harness'
import { expect } from 'vitest'

/**
 * Page helpers that drive the IDE the way a person does: through the file tree, the keyboard and the mouse.
 * Editor text is read from Monaco's rendered lines (enough for the small files these tests use).
 */
export async function openProject(page: Page, baseUrl: string, projectId: string): Promise<void> {
  await page.goto(`${baseUrl}/p/${projectId}`)
  await page.locator('.tree, .files-section').first().waitFor()
}

/** Opens a file from the tree and waits until it is bound to its synced document. */
export async function openFile(page: Page, path: string): Promise<void> {
  const row = page.locator(`.tree-row[data-path="${path}"]`)
  await row.waitFor()
  await row.click()
  await waitForBoundFile(page, path)
}

export async function waitForBoundFile(page: Page, path: string): Promise<void> {
  await page.locator(`.tab.active[data-path="${path}"]`).waitFor()
  await page.locator('[data-testid=editor-host][data-bound=true]').waitFor()
}

/** The text the editor shows, line by line in on-screen order. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines .view-line')]
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n')
  })
}

/** Puts the caret at the end of a line (1-based) using only the keyboard. */
export async function caretToLineEnd(page: Page, line: number): Promise<void> {
  await focusEditor(page)
  if (line > 5) {
    // Monaco's "Go to line" (Ctrl+G) instead of hundreds of arrow presses.
    await page.keyboard.press('Control+g')
    await page.keyboard.type(String(line))
    await page.keyboard.press('Enter')
  } else {
    await page.keyboard.press('Control+Home')
    for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown')
  }
  await page.keyboard.press('End')
}

/** Clicks into the text area (right of the gutter, near the top of the viewport, wherever it is scrolled). */
export async function focusEditor(page: Page): Promise<void> {
  await page.getByTestId('editor-host').click({ position: { x: 120, y: 30 } })
}

/** Polls until the editor shows `text`. */
export async function expectEditorText(page: Page, text: string): Promise<void> {
  await expect.poll(() => editorText(page), { timeout: 15_000 }).toBe(text)
}

/** The label text of each remote cursor the page shows (from the ::after content injected per client). */
export async function remoteCursorLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.yRemoteSelectionHead')].map((el) =>
      getComputedStyle(el, '::after').content.replace(/^"|"$/g, ''),
    ),
  )
}

/**
 * Ann (owner) and Bob (editor) in a new project with one file, open in both browsers. `beforeOpen` runs first
 * (e.g. to route a context's network), so it sees the collab socket from its start. `url`: the server whose IDE
 * they open (an AI front sharing the harness' database, say); the harness' server by default.
 */
export async function pairOnFile(
  h: Harness,
  file: { project: string; path: string; content: string; url?: string },
  beforeOpen: (users: { ann: BrowserUser; bob: BrowserUser }) => Promise<void> = async () => {},
): Promise<{ ann: BrowserUser; bob: BrowserUser; projectId: string }> {
  const ann = await h.newUser('Ann')
  const bob = await h.newUser('Bob')
  const projectId = (await ann.api.projects.create.mutate({ name: file.project })).id
  const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
  await bob.api.projects.join.mutate({ code })
  await ann.api.files.create.mutate({ projectId, path: file.path, content: file.content })
  await beforeOpen({ ann, bob })
  for (const u of [ann, bob]) {
    await openProject(u.page, file.url ?? h.server.url, projectId)
    await openFile(u.page, file.path)
  }
  return { ann, bob, projectId }
}
