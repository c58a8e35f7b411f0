import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, openFile, openProject } from './ide'

/**
 * Without a completion model the IDE asks the model nothing (so the browser logs no 503 per keystroke), says
 * "AI: no model" once in the status bar, and picks completions up again when the model is pulled.
 */
describe('inline completion without a model', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let projectId: string
  const completes: string[] = []
  const failures: string[] = []

  beforeAll(async () => {
    ollama = await newOllamaDouble({ chunks: ['total + 1'] })
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url)
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'No model' })).id
    await ann.api.files.create.mutate({ projectId, path: 'next.ts', content: 'const a = 1\n' })
    ann.page.on('request', (r) => r.url().includes('ai.complete') && completes.push(r.url()))
    ann.page.on('response', (r) => r.status() >= 500 && failures.push(`${r.status()} ${r.url()}`))
    ann.page.on('console', (m) => /\b503\b|Service Unavailable/i.test(m.text()) && failures.push(m.text()))
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it('sends no completion request and logs no 503 until the model is pulled', async () => {
    const pulled = ollama.models
    ollama.models = []
    const { page } = ann
    await openProject(page, front.url, projectId)
    await openFile(page, 'next.ts')
    const status = page.getByTestId('ai-status')
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('AI: no model')
    expect(await status.getAttribute('title')).toMatch(/ollama pull/)
    await caretToLineEnd(page, 1)
    await page.keyboard.type(' + 2 * ', { delay: 30 })
    await caretToLineEnd(page, 2)
    await page.keyboard.type('const b = ', { delay: 30 })
    expect(await status.count()).toBe(1)
    expect(completes).toEqual([])
    expect(ollama.requests.filter((r) => r.path === '/api/generate')).toEqual([])

    // The model arrives: the next status check opens the gate, and typing asks again.
    ollama.models = pulled
    await expect.poll(() => status.count(), { timeout: 30_000 }).toBe(0)
    await page.keyboard.type('a + ', { delay: 30 })
    await expect.poll(() => completes.length, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(failures).toEqual([])
  })
})
