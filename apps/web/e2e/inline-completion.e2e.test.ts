import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, editorText, expectEditorText, pairOnFile } from './ide'

const FILE = ['export function next(total: number) {', '  return ', '}', ''].join('\n')

describe('inline completions', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string
  const serverText = () => ann.api.files.read.query({ projectId, path: 'src/next.ts' }).then((r) => r.content)
  const generates = () => ollama.requests.filter((r) => r.path === '/api/generate')

  beforeAll(async () => {
    ollama = await newOllamaDouble({ chunks: ['total + 1'] })
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url)
    ;({ ann, bob, projectId } = await pairOnFile(h, {
      project: 'Ghosts',
      path: 'src/next.ts',
      content: FILE,
      url: front.url,
    }))
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it('shows ghost text after typing, and Tab inserts it into the shared document', async () => {
    const { page } = ann
    await caretToLineEnd(page, 2)
    // Ends with a space: no word-suggestion list is open (Tab would accept its item first, as in VS Code).
    await page.keyboard.type('2 * ')
    // Ghost text renders inside the line: the line reads on where the document does not (yet).
    await ann.page.locator('.monaco-editor .ghost-text-decoration').first().waitFor({ timeout: 15_000 })
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('  return 2 * total + 1')
    await expect.poll(serverText, { timeout: 15_000 }).toContain('  return 2 * \n')
    const sent = generates().at(-1)!.body
    expect(String(sent.prompt)).toContain(
      '<|fim_prefix|>export function next(total: number) {\n  return 2 * ',
    )
    await mkdir(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, 'ide-inline-completion.png') })

    // Monaco may ask again right after the accept (Tab is a keystroke): a model with nothing more to add
    // answers empty, so the only events are this suggestion's.
    ollama.chunks = []
    await page.keyboard.press('Tab')
    const done = FILE.replace('  return ', '  return 2 * total + 1')
    await expect.poll(serverText, { timeout: 15_000 }).toBe(done)
    // Bob, another peer on the same file, sees the accepted completion.
    await expectEditorText(bob.page, done)
    // Shown and accepted are recorded with the model and latency.
    const kinds = async () => {
      const r = await h.server.database.db.execute<{ kind: string; model: string }>(
        sql`select kind, model from completion_events order by id`,
      )
      return (r as { rows: { kind: string; model: string }[] }).rows
    }
    await expect.poll(kinds, { timeout: 15_000 }).toEqual([
      { kind: 'shown', model: 'qwen2.5-coder:1.5b-base' },
      { kind: 'accepted', model: 'qwen2.5-coder:1.5b-base' },
    ])
  })
})
