import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from '@mimiverse/collab/testing'
import { newOllamaDouble, type OllamaDouble } from '../../ai/test/doubles/ollama-double'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { expectEditorText, openFile, openProject } from './ide'

/**
 * A task run end to end: Ann gives Mimi a task from the chat; the scripted model reads one file and edits
 * another; Bob follows Mimi exactly as he follows a person, and his editor switches files with the agent; both
 * see the plan and the steps in the chat. The workspace has no terminal here: run_command says so to the model.
 */
const A = 'export const a = 1\n'
const B = 'export const b = 2\n'

describe('a task run in the browser', () => {
  let h: Harness
  let ollama: OllamaDouble
  let front: AiFront
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string
  let bobFollows: () => void = () => {}
  const following = new Promise<void>((r) => (bobFollows = r))
  let bobSwitched: () => void = () => {}
  const switched = new Promise<void>((r) => (bobSwitched = r))

  beforeAll(async () => {
    ollama = await newOllamaDouble()
    h = await newHarness()
    front = await newAiFront(h.server.database, ollama.url)
    ann = await h.newUser('Ann')
    bob = await h.newUser('Bob')
    const api = apiClient(front.url, ann.token)
    projectId = (await api.projects.create.mutate({ name: 'Task' })).id
    const { code } = await api.projects.invite.mutate({ projectId, role: 'editor' })
    await apiClient(front.url, bob.token).projects.join.mutate({ code })
    await api.files.create.mutate({ projectId, path: 'a.ts', content: A })
    await api.files.create.mutate({ projectId, path: 'b.ts', content: B })
    for (const u of [ann, bob]) {
      await openProject(u.page, front.url, projectId)
      await openFile(u.page, 'a.ts')
    }
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
    await ollama?.close()
  })

  it('streams the plan and steps to everyone, and Bob following Mimi switches files with it', async () => {
    ollama.turns = [
      {
        content: '1. Read a.ts\n2. Update b.ts',
        toolCalls: [{ name: 'read_file', arguments: { path: 'a.ts' } }],
      },
      async () => {
        // Mimi is in a.ts now: Bob starts following it there, as he would a person.
        await following
        return {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'b.ts', edits: [{ old_text: 'b = 2', new_text: 'b = a + 1' }] },
            },
          ],
        }
      },
      async () => {
        // Mimi stays in b.ts until Bob's editor followed it there: a run that ended at once would leave before
        // its move reached Bob (presence is coalesced on the server), and he would have nobody to follow.
        await switched
        return { toolCalls: [{ name: 'run_command', arguments: { command: 'npm test' } }] }
      },
      { content: 'b.ts now follows a.ts.' },
    ]
    await ann.page.keyboard.press('Control+l')
    const chat = ann.page.getByRole('complementary', { name: 'AI chat' })
    await chat.getByRole('button', { name: 'Task' }).click()
    const input = chat.getByLabel('Give Mimi a task')
    await input.fill('make b follow a')
    await input.press('Enter')

    const mimi = bob.page.locator('.presence-row[data-user="Mimi"]')
    await mimi.waitFor({ timeout: 30_000 })
    await mimi.click()
    await bob.page.locator('.presence-row.following[data-user="Mimi"]').waitFor()
    bobFollows()

    await bob.page.locator('.tab.active[data-path="b.ts"]').waitFor({ timeout: 30_000 })
    bobSwitched()
    await expectEditorText(bob.page, 'export const b = a + 1\n')
    const card = chat.getByTestId('agent-task-card')
    await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('b.ts now follows a.ts.')
    const text = (await card.textContent()) ?? ''
    expect(text).toContain('1. Read a.ts')
    expect(text).toContain('edit_file')
    expect(text).toContain('No workspace terminal is available')
    // Bob, who never asked, sees the same run in his chat.
    await bob.page.keyboard.press('Control+l')
    const bobCard = bob.page.getByRole('complementary', { name: 'AI chat' }).getByTestId('agent-task-card')
    await expect.poll(() => bobCard.textContent(), { timeout: 15_000 }).toContain('1. Read a.ts')
  })
})
