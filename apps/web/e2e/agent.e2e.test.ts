import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from '@mimiverse/collab/testing'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { connectAgentPeer, type AgentPeer } from './agent-peer'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { expectEditorText, focusEditor, openFile, openProject, remoteCursorLabels } from './ide'

/**
 * The agent in the IDE without a working agent: a Node peer plays the agent in the document (awareness, text,
 * `agentRuns` entries), and the AI service runs without the agent's collab configuration, so it refuses every
 * edit with "the agent is not configured" — every entry point must show that error clearly. The real agent
 * end to end: agent-live.e2e.test.ts.
 */
const FILE = ['export function add(a: number, b: number) {', '  return a + b', '}', ''].join('\n')
const NOT_CONFIGURED =
  'The agent is not configured: give the AI service COLLAB_URL and the collab server’s SECRET'
const RUN = randomUUID()

describe('the agent as a co-editor, in the browser', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let rita: BrowserUser
  let projectId: string
  let docName: string
  let agent: AgentPeer | undefined

  const badge = (u: BrowserUser) => u.page.getByTestId('agent-run-badge')
  const highlights = (u: BrowserUser) => u.page.locator('.monaco-editor .agent-highlight')
  const notice = (u: BrowserUser) => u.page.locator('.notice')

  beforeAll(async () => {
    ollama = await newOllamaDouble()
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url, { agent: false })
    ann = await h.newUser('Ann')
    rita = await h.newUser('Rita')
    const api = apiClient(front.url, ann.token)
    projectId = (await api.projects.create.mutate({ name: 'Agent' })).id
    const { code } = await api.projects.invite.mutate({ projectId, role: 'reviewer' })
    await apiClient(front.url, rita.token).projects.join.mutate({ code })
    docName = (await api.files.create.mutate({ projectId, path: 'src/add.ts', content: FILE })).docName
    for (const u of [ann, rita]) {
      await openProject(u.page, front.url, projectId)
      await openFile(u.page, 'src/add.ts')
    }
  })
  afterAll(async () => {
    agent?.destroy()
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it("highlights the agent's text for everyone, shows who asked, and shows the agent like a person", async () => {
    agent = await connectAgentPeer({ baseUrl: front.url, projectId, docName, sessionToken: ann.token })
    const index = FILE.indexOf('  return')
    await agent.insertMarked({ runId: RUN, requester: 'Ann', index, text: '  // checked by Mimi\n' })
    for (const u of [ann, rita]) {
      await expectEditorText(u.page, FILE.replace('  return', '  // checked by Mimi\n  return'))
      await highlights(u).first().waitFor()
      await expect.poll(() => badge(u).textContent()).toContain('editing for Ann')
      await u.page.locator('.presence-row[data-user="Mimi"]').waitFor()
      await expect.poll(() => remoteCursorLabels(u.page)).toContain('Mimi')
    }
    // Only people who may edit get the run's buttons; a reviewer sees the highlight and who asked.
    await badge(ann).getByRole('button', { name: 'Cancel' }).waitFor()
    expect(await badge(rita).getByRole('button').count()).toBe(0)
    await mkdir(screenshots, { recursive: true })
    await ann.page.screenshot({ path: join(screenshots, 'ide-agent-highlight.png') })
  })

  it('keeps the highlight on the text while people type around it', async () => {
    const top = async () => (await badge(ann).boundingBox())?.y ?? Number.NaN
    const before = await top()
    await focusEditor(ann.page)
    await ann.page.keyboard.press('Control+Home')
    await ann.page.keyboard.type('// header\n')
    // The badge sits over the agent's first line, which is now one line further down.
    await expect.poll(top).toBeGreaterThan(before + 10)
    await expect.poll(() => highlights(rita).count()).toBeGreaterThan(0)
  })

  it('offers Accept and Undo once the run is done, and says clearly when Undo cannot work', async () => {
    await agent!.setState(RUN, 'done')
    await expect.poll(() => badge(ann).textContent()).toContain('edited for Ann')
    // The highlight's hover names who asked, for anyone reading the text.
    await rita.page.locator('.view-line span', { hasText: 'checked by Mimi' }).last().hover()
    await expect
      .poll(() =>
        rita.page
          .locator('.monaco-hover')
          .allTextContents()
          .then((t) => t.join(' ')),
      )
      .toContain('edited this for Ann')
    await badge(ann).getByRole('button', { name: 'Undo' }).click()
    await expect
      .poll(() => notice(ann).textContent())
      .toContain("Could not undo the agent's run: No such agent run")
    await ann.page.getByRole('button', { name: 'Dismiss' }).click()
    expect(await badge(ann).getByRole('button', { name: 'Accept' }).isVisible()).toBe(true)
  })

  it('clears the highlight when the entry goes, and the agent leaves the people list', async () => {
    await agent!.removeMark(RUN)
    for (const u of [ann, rita]) {
      await expect.poll(() => highlights(u).count()).toBe(0)
      await expect.poll(() => badge(u).count()).toBe(0)
    }
    agent!.destroy()
    agent = undefined
    for (const u of [ann, rita]) {
      await expect
        .poll(() => u.page.locator('.presence-row[data-user="Mimi"]').count(), { timeout: 15_000 })
        .toBe(0)
    }
  })

  it('opens an inline prompt on Ctrl+K for the selection; Enter sends, Esc closes', async () => {
    const { page } = ann
    const prompt = page.getByRole('dialog', { name: 'Edit with Mimi' })
    await focusEditor(page)
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Shift+End')
    await page.keyboard.press('Control+k')
    await prompt.waitFor()
    expect(await prompt.textContent()).toContain('Mimi · lines 2–3')
    await prompt.getByLabel('Tell Mimi what to change').fill('use a reducer')
    await prompt.getByLabel('Tell Mimi what to change').press('Enter')
    await expect
      .poll(() => prompt.getByRole('alert').textContent())
      .toBe(`Mimi cannot edit: ${NOT_CONFIGURED}`)
    await prompt.getByLabel('Tell Mimi what to change').press('Escape')
    await prompt.waitFor({ state: 'detached' })
    // The focus is back in the editor: typing goes into the file.
    await page.keyboard.type('X')
    await expect.poll(() => page.locator('.view-lines').textContent()).toContain('X')
    await page.keyboard.press('Control+z')
  })

  it('offers "Fix with Mimi" as a quick fix on an error', async () => {
    const { page } = ann
    await focusEditor(page)
    await page.keyboard.press('Control+End')
    await page.keyboard.type('const = 1')
    await page.locator('.squiggly-error').first().waitFor({ timeout: 20_000 })
    await page.keyboard.press('Home')
    await page.keyboard.press('Control+.')
    const fix = page
      .locator('.action-widget')
      .getByText(/^Fix with Mimi: /)
      .first()
    await fix.waitFor()
    await fix.click()
    await expect.poll(() => notice(ann).textContent()).toContain(`Mimi cannot edit: ${NOT_CONFIGURED}`)
    await page.getByRole('button', { name: 'Dismiss' }).click()
  })

  it('sends a chat message as an edit request in "Edit file" mode', async () => {
    const { page } = ann
    await page.keyboard.press('Control+l')
    const chat = page.getByRole('complementary', { name: 'AI chat' })
    await chat.getByRole('button', { name: 'Edit file' }).click()
    const input = chat.getByLabel('Tell Mimi what to change')
    await input.fill('in this file, rename add to sum')
    await input.press('Enter')
    const answer = chat.locator('.chat-message.assistant[data-kind=edit]')
    await expect
      .poll(() => answer.getByRole('alert').textContent())
      .toBe(`Mimi cannot edit: ${NOT_CONFIGURED}`)
    expect(await chat.locator('.chat-message.user .chat-chip').textContent()).toBe('Edit · add.ts')
  })

  it('lists no runs when none was started, and tells an editor how to start one', async () => {
    const runs = ann.page.getByRole('region', { name: 'Agent runs' })
    await expect
      .poll(() => runs.locator('.muted').first().textContent())
      .toBe('No runs yet. Select code and press Ctrl+K to ask Mimi.')
  })

  it('gives a reviewer no way to start an edit', async () => {
    const { page } = rita
    await focusEditor(page)
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Control+k')
    await page.keyboard.press('Control+l')
    const chat = page.getByRole('complementary', { name: 'AI chat' })
    await chat.getByLabel('Ask the AI').waitFor()
    expect(await page.getByRole('dialog', { name: 'Edit with Mimi' }).count()).toBe(0)
    expect(await chat.getByRole('button', { name: 'Edit file' }).count()).toBe(0)
    await page.keyboard.press('Control+l')
  })
})
