import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { focusEditor, openFile, openProject, waitForBoundFile } from './ide'

/**
 * Code search in the IDE against the real search backend (issue 5): code typed in the editor is indexed, found
 * from the search panel, and a click on the result opens the file with the cursor on the matching line.
 */
/** 60 lines, so the found line (61) is out of view when the file opens. */
const MAIN = Array.from({ length: 60 }, (_, i) => `// line ${i + 1}`).join('\n')
const TYPED = 'const frobnicateWidget = 42'

describe('the search panel', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let projectId: string
  const panel = () => ann.page.getByRole('region', { name: 'Search' })
  const mainLines = () =>
    ann.api.files.read.query({ projectId, path: 'src/main.ts' }).then((r) => r.content.split('\n'))
  const hits = () => panel().locator('.search-hit[data-path="src/main.ts"]')

  beforeAll(async () => {
    ollama = await newOllamaDouble()
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url)
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Searchable' })).id
    await ann.api.files.create.mutate({ projectId, path: 'src/main.ts', content: MAIN })
    await ann.api.files.create.mutate({
      projectId,
      path: 'src/other.ts',
      content: 'export const other = 1\n',
    })
    await openProject(ann.page, front.url, projectId)
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it('finds code typed a moment ago and opens it at its line', async () => {
    const { page } = ann
    await openFile(page, 'src/main.ts')
    await focusEditor(page)
    await page.keyboard.press('Control+End')
    await page.keyboard.press('Enter')
    await page.keyboard.type(TYPED)
    await expect.poll(() => mainLines().then((lines) => lines[60]), { timeout: 15_000 }).toBe(TYPED)
    // Leave the file, so the click has to open it again.
    await openFile(page, 'src/other.ts')

    await page.keyboard.press('Control+Shift+F')
    const box = panel().getByLabel('Search code')
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true)
    await panel().getByRole('radio', { name: 'Text' }).click()
    await box.fill('frobnicateWidget')
    // Indexing follows edits asynchronously: search again (Enter) until the new line is found.
    await expect
      .poll(
        async () => {
          await box.press('Enter')
          // Let the answer arrive: the next Enter would abort a request still in flight.
          await panel().getByText('Searching…').waitFor({ state: 'detached' })
          return hits().count()
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0)
    const hit = hits().first()
    expect(await hit.getAttribute('data-line')).toBe('61')
    expect(await hit.locator('mark').first().textContent()).toBe('frobnicateWidget')
    expect(await hit.textContent()).toContain(`61${TYPED}`)
    await mkdir(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, 'ide-search.png') })

    await hit.click()
    await waitForBoundFile(page, 'src/main.ts')
    await expect.poll(() => page.locator('.status-bar').textContent()).toContain('Ln 61, Col 1')
    // The cursor is in the editor: typing lands at the start of the found line.
    await page.keyboard.type('/* found */ ')
    await expect
      .poll(() => mainLines().then((lines) => lines[60]), { timeout: 15_000 })
      .toBe(`/* found */ ${TYPED}`)
  })

  it('searches in every mode without an error, and says when nothing matches', async () => {
    const box = panel().getByLabel('Search code')
    await box.fill('a widget counter')
    for (const mode of ['hybrid', 'vector', 'text'] as const) {
      await panel().getByRole('radio', { name: mode, exact: false }).click()
      // Switching the mode searches again; the answer says which mode it comes from.
      await panel().locator(`[data-testid=search-results][data-mode=${mode}]`).waitFor()
      expect(await panel().getByTestId('search-error').count()).toBe(0)
    }
    await box.fill('zzqx nothing like this')
    await panel().getByText('No results for “zzqx nothing like this”.').waitFor()
  })

  it('refreshes its results when the index changes, without searching again by hand', async () => {
    const { page } = ann
    const box = panel().getByLabel('Search code')
    await panel().getByRole('radio', { name: 'Text' }).click()
    await box.fill('quuxRefreshed')
    await panel().getByText('No results for “quuxRefreshed”.').waitFor()
    // The word is typed into the open file while the results are shown.
    await focusEditor(page)
    await page.keyboard.press('Control+End')
    await page.keyboard.press('Enter')
    await page.keyboard.type('const quuxRefreshed = 2')
    await hits().first().waitFor({ timeout: 30_000 })
    expect(await hits().first().locator('mark').first().textContent()).toBe('quuxRefreshed')
  })
})
