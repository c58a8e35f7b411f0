import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { newAgentWorld, type AgentWorld } from './agent-world'
import { WAIT } from './fixtures'
import { connectMcp, newMcpToken, textOf } from './mcp-client'

/**
 * `git_diff` with the real workspace runner mounted as in the embedded default: real git, in the project's
 * sandbox, on the working tree the mirror keeps equal to the documents.
 */
let world: AgentWorld
beforeAll(async () => {
  world = await newAgentWorld({ AGENT_BATCH_MS: '10' }, {}, { withRunner: true })
}, 60_000)
afterAll(() => world.close())

describe('/mcp with the workspace', () => {
  it("git_diff shows the workspace's uncommitted changes (the agent's own included) and untracked files", async () => {
    await world.file('app.ts', 'const a = 1\n')
    const client = await connectMcp(world, await newMcpToken(world, { label: 'git' }))
    const diff = (args: Record<string, unknown> = {}) =>
      client.callTool({ name: 'git_diff', arguments: args })

    const none = await diff()
    expect(none.isError).toBe(true)
    expect(textOf(none)).toMatch(/no git repository/)

    const git = world.runner!.git
    await git.init(world.projectId)
    await git.stage(world.projectId, { paths: ['app.ts'], hunks: [] })
    const committer = { id: world.owner.id, name: 'Ann', email: 'ann@example.com' }
    await git.commit(world.projectId, { message: 'first', committer })
    expect(textOf(await diff())).toBe('No changes not committed.\n')

    const edited = await client.callTool({
      name: 'edit_file',
      arguments: { path: 'app.ts', edits: [{ oldText: 'const a = 1', newText: 'const a = 2' }] },
    })
    expect(edited.isError, textOf(edited)).toBeFalsy()
    await client.callTool({ name: 'create_file', arguments: { path: 'notes.md', content: 'hi\n' } })
    await vi.waitFor(async () => {
      const text = textOf(await diff())
      expect(text).toContain('--- a/app.ts\n+++ b/app.ts')
      expect(text).toContain('-const a = 1\n+const a = 2')
      expect(text).toContain('Untracked files (1):\nnotes.md')
    }, WAIT)
    expect(textOf(await diff({ staged: true }))).toBe('No staged changes.\n')
    expect(textOf(await diff({ path: 'notes.md' }))).toBe(
      'No changes not committed in notes.md.\n\nUntracked files (1):\nnotes.md',
    )
    await client.close()
  })
})
