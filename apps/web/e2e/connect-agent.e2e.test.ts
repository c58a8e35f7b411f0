import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newAiFront, type AiFront } from './ai-server'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { focusEditor, openFile, openProject } from './ide'

/** An MCP `initialize` with a token, as an agent's first request (it records the token's use). */
async function initialize(url: string, token: string): Promise<number> {
  const res = await fetch(new URL('/mcp', url), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
    }),
  })
  await res.body?.cancel()
  return res.status
}

/** "Connect an agent": a token made in the dialog, shown once inside each client's snippet, listed, revoked. */
describe('connect an agent', () => {
  let h: Harness
  let front: AiFront
  let ann: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    // No model is needed: tokens and /mcp's handshake never call one.
    front = await newAiFront(h.server.database, 'http://127.0.0.1:9')
    ann = await h.newUser('Ann')
    projectId = (await ann.api.projects.create.mutate({ name: 'Agents' })).id
    await ann.api.files.create.mutate({ projectId, path: 'main.ts', content: 'const a = 1\n' })
    await openProject(ann.page, front.url, projectId)
    await openFile(ann.page, 'main.ts')
  })
  afterAll(async () => {
    await h?.close()
    await front?.close()
  })

  it('creates a token from the palette, shows it in every snippet with the URL, lists its use and revokes it', async () => {
    const page = ann.page
    await focusEditor(page)
    await page.keyboard.press('Control+Shift+P')
    await page.getByRole('combobox', { name: 'Command palette' }).waitFor()
    await page.keyboard.type('connect an agent')
    await expect
      .poll(() => page.getByRole('option', { selected: true }).textContent())
      .toContain('Project: Connect an agent')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Connect an agent' })
    await expect.poll(() => dialog.getByText('No tokens yet.').count(), { timeout: 20_000 }).toBe(1)
    const url = `${front.url}/mcp`
    const claude = dialog.getByLabel('Claude Code: Run in a terminal')
    expect(await claude.inputValue()).toBe(
      `claude mcp add --transport http mimiverse ${url} --header "Authorization: Bearer <TOKEN>"`,
    )

    await dialog.getByLabel('Token label').fill('laptop')
    await dialog.getByRole('button', { name: 'Create token' }).click()
    const secret = dialog.getByLabel('New token')
    await secret.waitFor()
    const token = await secret.inputValue()
    expect(token).toMatch(/^mimi_pat_[\w-]{40,}$/)
    expect(await claude.inputValue()).toBe(
      `claude mcp add --transport http mimiverse ${url} --header "Authorization: Bearer ${token}"`,
    )
    expect(await dialog.getByLabel('Codex: ~/.codex/config.toml').inputValue()).toContain(`url = "${url}"`)
    expect(await dialog.getByLabel('Codex: In the shell that starts Codex').inputValue()).toBe(
      `export MIMIVERSE_TOKEN="${token}"`,
    )
    const gemini = JSON.parse(await dialog.getByLabel('Gemini CLI: ~/.gemini/settings.json').inputValue())
    expect(gemini).toEqual({
      mcpServers: { mimiverse: { httpUrl: url, headers: { Authorization: `Bearer ${token}` } } },
    })
    const row = dialog.locator('[data-token="laptop"]')
    await expect.poll(() => row.textContent()).toContain('editor')
    expect(await row.textContent()).toContain('never used')

    // An agent uses the token; the list says so when the dialog opens again (the secret is not shown again).
    expect(await initialize(front.url, token)).toBe(200)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await page.getByRole('button', { name: 'Connect agent' }).click()
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('last used')
    expect(await dialog.getByLabel('New token').count()).toBe(0)

    await dialog.getByRole('button', { name: 'Revoke laptop' }).click()
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0)
    await expect.poll(() => dialog.getByText('No tokens yet.').count()).toBe(1)
    expect(await initialize(front.url, token)).toBe(401)
  })

  it("lists the project's MCP servers for Mimi; an editor adds one with a bearer that is never shown, and removes it", async () => {
    const page = ann.page
    const dialog = page.getByRole('dialog', { name: 'Connect an agent' })
    if ((await dialog.count()) === 0) await page.getByRole('button', { name: 'Connect agent' }).click()
    const section = dialog.getByRole('region', { name: 'MCP servers for Mimi' })
    await expect.poll(() => section.getByText('No MCP servers yet.').count(), { timeout: 20_000 }).toBe(1)

    await section.getByLabel('Server name').fill('issues')
    await section.getByLabel('Server URL').fill('http://tracker.example.com/mcp')
    await section.getByRole('button', { name: 'Add server' }).click()
    // Plain http is refused unless the operator allows the host; the reason is shown.
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('https')

    await section.getByLabel('Server URL').fill('https://tracker.example.com/mcp')
    await section.getByLabel('Bearer token (optional)').fill('tracker-secret-123')
    await section.getByRole('button', { name: 'Add server' }).click()
    const row = section.locator('[data-mcp-server="issues"]')
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('bearer token set')
    expect(await row.textContent()).toContain('https://tracker.example.com/mcp')
    expect(await dialog.textContent()).not.toContain('tracker-secret-123')
    expect(await section.getByLabel('Bearer token (optional)').inputValue()).toBe('')

    await section.getByRole('button', { name: 'Remove issues' }).click()
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0)
    await expect.poll(() => section.getByText('No MCP servers yet.').count()).toBe(1)
  })
})
