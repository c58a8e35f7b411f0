import { createServer } from 'node:net'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { focusEditor, openFile, openProject } from './ide'

const FILE = [
  'export function total(xs: number[]) {',
  '  let sum = 0',
  '  for (const x of xs) sum += x',
  '  return sum',
  '}',
  '',
].join('\n')
const ANSWER = [
  'Use `reduce`:\n\n',
  '```ts\nconst total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)\n```\n\n',
  'It returns **0** for an empty list.',
]
const CODE = 'const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)'

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

describe('the AI chat panel', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let projectId: string
  const serverText = (path: string) => ann.api.files.read.query({ projectId, path }).then((r) => r.content)
  const panel = () => ann.page.getByRole('complementary', { name: 'AI chat' })
  const answers = () => panel().locator('.chat-message.assistant')
  const ask = async (question: string) => {
    await panel().getByLabel('Ask the AI').fill(question)
    await panel().getByLabel('Ask the AI').press('Enter')
  }

  beforeAll(async () => {
    ollama = await newOllamaDouble({ hold: true, chunks: ANSWER })
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url)
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Chatty' })).id
    await ann.api.files.create.mutate({ projectId, path: 'src/main.ts', content: FILE })
    await openProject(ann.page, front.url, projectId)
    await openFile(ann.page, 'src/main.ts')
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it('streams an answer about the selected lines, highlighted, and inserts its code at the cursor', async () => {
    const { page } = ann
    await focusEditor(page)
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Control+l')
    await expect.poll(() => panel().getByTestId('chat-context').textContent()).toBe('main.ts · lines 2–3')

    await ask('Can this be shorter?')
    // The double holds everything after the first piece: what shows now was streamed, not the whole answer.
    await answers().filter({ hasText: 'Use reduce:' }).waitFor()
    expect(await answers().textContent()).not.toContain('empty list')
    expect(await panel().getByRole('button', { name: 'Stop' }).isVisible()).toBe(true)
    const sent = ollama.requests.find((r) => r.path === '/api/chat')!.body.messages as { content: string }[]
    expect(sent.map((m) => m.content).join('\n')).toContain('The user selected (lines 2-3)')
    expect(sent.map((m) => m.content).join('\n')).toContain('  let sum = 0\n  for (const x of xs) sum += x')

    ollama.release()
    await answers().filter({ hasText: 'It returns 0 for an empty list.' }).waitFor()
    await panel().getByRole('button', { name: 'Send' }).waitFor()
    const code = panel().locator('.chat-code code[data-highlighted=true]')
    await code.waitFor()
    expect(await code.textContent()).toBe(CODE)
    expect(await code.locator('span[class^=mtk]').count()).toBeGreaterThan(3)
    await mkdir(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, 'ide-chat.png') })

    await focusEditor(page)
    await page.keyboard.press('Control+End')
    await panel().getByRole('button', { name: 'Insert at cursor' }).click()
    await expect.poll(() => serverText('src/main.ts'), { timeout: 15_000 }).toBe(FILE + CODE)
    // An edit like typing: the editor has the focus back, and the user's own undo takes it out again.
    await page.keyboard.press('Control+z')
    await expect.poll(() => serverText('src/main.ts'), { timeout: 15_000 }).toBe(FILE)
  })

  it('stops an answer mid-stream and closes the model request', async () => {
    const closedBefore = ollama.closedEarly
    await ask('And in Python?')
    await expect.poll(() => answers().count()).toBe(2)
    await answers().nth(1).filter({ hasText: 'Use reduce:' }).waitFor()
    await panel().getByRole('button', { name: 'Stop' }).click()
    await answers().nth(1).filter({ hasText: 'Stopped.' }).waitFor()
    await expect.poll(() => ollama.closedEarly, { timeout: 15_000 }).toBe(closedBefore + 1)
    expect(await answers().nth(1).textContent()).not.toContain('empty list')
    await panel().getByRole('button', { name: 'Send' }).waitFor({ state: 'attached' })
  })

  it('lets a reviewer ask, but offers no "Insert at cursor" (their editor is read-only)', async () => {
    const rita = await h.newUser('Rita')
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'reviewer' })
    await rita.api.projects.join.mutate({ code })
    await openProject(rita.page, front.url, projectId)
    await openFile(rita.page, 'src/main.ts')
    await rita.page.keyboard.press('Control+l')
    const chat = rita.page.getByRole('complementary', { name: 'AI chat' })
    await chat.getByLabel('Ask the AI').fill('Explain this file')
    await chat.getByLabel('Ask the AI').press('Enter')
    await chat.locator('.chat-message.assistant').filter({ hasText: 'Use reduce:' }).waitFor()
    ollama.release()
    const block = chat.locator('.chat-code')
    await block.locator('code[data-highlighted=true]').waitFor()
    await chat.getByRole('button', { name: 'Copy' }).waitFor()
    expect(await block.getByRole('button', { name: 'Insert at cursor' }).count()).toBe(0)
  })

  it('shows a banner naming what to start when no model is reachable; the editor keeps working', async () => {
    const down = await newAiFront(h.server.database, `http://127.0.0.1:${await closedPort()}`)
    try {
      const page = await ann.context.newPage()
      await openProject(page, down.url, projectId)
      await openFile(page, 'src/main.ts')
      await page.getByRole('button', { name: 'AI chat' }).click()
      const banner = page.getByTestId('chat-banner')
      await banner.waitFor()
      expect(await banner.textContent()).toBe(
        'No chat model is reachable. Start Ollama (docker compose up ollama), then ollama pull qwen2.5-coder:7b.',
      )
      await page.getByLabel('Ask the AI').fill('hello?')
      await page.getByLabel('Ask the AI').press('Enter')
      const error = page.locator('.chat-message.assistant [role=alert]')
      await error.waitFor()
      expect(await error.textContent()).toContain('docker compose up ollama')
      await focusEditor(page)
      await page.keyboard.press('Control+End')
      await page.keyboard.type('// still editing')
      await expect.poll(() => serverText('src/main.ts'), { timeout: 15_000 }).toContain('// still editing')
      await page.close()
    } finally {
      await down.close()
    }
  })
})
