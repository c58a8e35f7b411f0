import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectPeer, type Peer } from '@mimiverse/collab/testing'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, openFile, openProject, waitForBoundFile } from './ide'
import type { Page } from 'playwright-core'

/**
 * TypeScript across files: Monaco's worker knows the project's other files (read from the server, never
 * opened), so go to definition leaves the open file and errors follow changes made elsewhere.
 */
const LIB = [
  '// Arithmetic.',
  '',
  '/** Adds. */',
  '',
  'export function add(a: number, b: number): number {',
  '  return a + b',
  '}',
  '',
].join('\n')
const GREET = 'export function greet(name: string): string {\n  return `hi ${name}`\n}\n'
const MAIN = [
  "import { add } from './lib'",
  "import { greet } from './util/greet'",
  '',
  'export const total = add(1, 2)',
  "export const hello = greet('Ann')",
  '',
].join('\n')

describe('TypeScript across files', () => {
  let h: Harness
  let ann: BrowserUser
  let projectId: string
  let peer: Peer | undefined
  const problems = () => ann.page.getByTestId('problems-status').textContent()
  const caret = () => ann.page.locator('.status-item', { hasText: /^Ln \d+, Col \d+$/ }).textContent()

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Typed' })).id
    await ann.api.files.create.mutate({ projectId, path: 'src/lib.ts', content: LIB })
    await ann.api.files.create.mutate({ projectId, path: 'src/util/greet.ts', content: GREET })
    await ann.api.files.create.mutate({ projectId, path: 'src/main.ts', content: MAIN })
    await openProject(ann.page, h.server.url, projectId)
  })
  afterAll(async () => {
    peer?.provider.destroy()
    peer?.socket.destroy()
    await h?.close()
  })

  it('goes to a definition in a file that was never opened (F12)', async () => {
    const { page } = ann
    await openFile(page, 'src/main.ts')
    // "Cannot find module" until the worker has the other files; none once it has.
    await expect.poll(problems, { timeout: 30_000 }).toBe('⨯ 0 ⚠ 0')
    // Into `add` of `add(1, 2)`.
    await caretBeforeLineEnd(page, 4, 8)
    await expect.poll(caret).toBe('Ln 4, Col 23')
    await page.keyboard.press('F12')
    await waitForBoundFile(page, 'src/lib.ts')
    await expect.poll(caret, { timeout: 20_000 }).toMatch(/^Ln 5, Col \d+$/)
  })

  it('shows an error caused by a change in a file that is not open, and opens it from Problems', async () => {
    const { page } = ann
    await openFile(page, 'src/main.ts')
    await expect.poll(problems, { timeout: 30_000 }).toBe('⨯ 0 ⚠ 0')
    const file = (await ann.api.files.list.query({ projectId })).find((f) => f.path === 'src/util/greet.ts')
    if (!file) throw new Error('src/util/greet.ts was not created')
    // Another client changes greet's signature through the file's shared document.
    peer = connectPeer({
      baseUrl: h.server.url,
      docName: file.docName,
      token: async () => (await ann.api.collab.token.mutate({ projectId })).token,
      user: { id: ann.id, name: ann.name },
    })
    await peer.synced()
    const at = peer.text.toString().indexOf('name: string')
    peer.text.insert(at + 'name: string'.length, ', times: number')
    await peer.acknowledged()

    await expect.poll(problems, { timeout: 30_000 }).toBe('⨯ 1 ⚠ 0')
    await page.keyboard.press('Control+Shift+P')
    await page.keyboard.type('show problems')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toBe('View: Show problems')
    await page.keyboard.press('Enter')
    const row = page.getByTestId('problems-panel').getByRole('button', { name: /src\/main\.ts:5/ })
    await expect
      .poll(() => row.textContent(), { timeout: 20_000 })
      .toContain('Expected 2 arguments, but got 1.')
    // Leave main.ts, so the click has to open it again at the line.
    await openFile(page, 'src/lib.ts')
    await row.click()
    await waitForBoundFile(page, 'src/main.ts')
    await expect.poll(caret, { timeout: 20_000 }).toBe('Ln 5, Col 1')
  })

  it('renames a symbol across files, editing a file that was not open through its shared document', async () => {
    const { page } = ann
    const read = async (path: string) => (await ann.api.files.read.query({ projectId, path })).content
    await openFile(page, 'src/main.ts')
    // Into `greet` of `greet('Ann')`.
    await caretBeforeLineEnd(page, 5, 8)
    await page.keyboard.press('F2')
    const box = page.locator('.rename-box input')
    await box.fill('welcome')
    await box.press('Enter')
    await expect
      .poll(() => read('src/util/greet.ts'), { timeout: 20_000 })
      .toContain('export function welcome(')
    await expect.poll(() => read('src/main.ts'), { timeout: 20_000 }).toContain("welcome('Ann')")
    expect(await read('src/main.ts')).toContain("import { welcome } from './util/greet'")
    // The other file was opened as a tab to be edited; the shown file stays.
    await page.locator('.tab[data-path="src/util/greet.ts"]').waitFor()
    await page.locator('.tab.active[data-path="src/main.ts"]').waitFor()
    // The peer (another client of that document) got the rename too.
    await expect.poll(() => peer?.text.toString() ?? '').toContain('export function welcome(')
  })
})

/** The caret `back` characters before the end of a line (1-based), from the keyboard. */
async function caretBeforeLineEnd(page: Page, line: number, back: number): Promise<void> {
  await caretToLineEnd(page, line)
  for (let i = 0; i < back; i++) await page.keyboard.press('ArrowLeft')
}
