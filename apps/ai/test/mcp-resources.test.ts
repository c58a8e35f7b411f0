import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { connectPeer } from '@mimiverse/collab/testing'
import { files } from '@mimiverse/db/schema'
import { newAgentWorld, type AgentWorld } from './agent-world'
import { WAIT } from './fixtures'
import { connectMcp, newMcpToken } from './mcp-client'
import { FILE_URI_TEMPLATE, fileUri, PAGE_SIZE } from '../src/services/mcp/mcp-resources'

/** The project's files as MCP resources, with the SDK's own client over real HTTP. */
let world: AgentWorld
beforeAll(async () => {
  world = await newAgentWorld()
}, 60_000)
afterAll(() => world.close())

const token = (role: 'editor' | 'reviewer', projectId: string) =>
  newMcpToken(world, { label: `${role} resources`, role, projectId })

/** A project of the world's owner with these files. */
async function newProject(name: string, content: Record<string, string>): Promise<string> {
  const { id } = await world.owner.api.projects.create.mutate({ name })
  for (const [path, text] of Object.entries(content)) {
    await world.owner.api.files.create.mutate({ projectId: id, path, content: text })
  }
  return id
}

/** The error code a rejected SDK request carries. */
async function codeOf(work: Promise<unknown>): Promise<number> {
  const e: unknown = await work.then(
    () => null,
    (err: unknown) => err,
  )
  if (!(e instanceof McpError)) throw new Error(`expected an MCP error, got ${String(e)}`)
  return e.code
}

describe('/mcp resources', () => {
  it("pages through the project's files, reads the live text, and offers the URI template", async () => {
    const projectId = await newProject('paged', { 'src/my file.ts': 'const a = 1\n' })
    // More files than a page, added as an import would (empty files; the API would take a minute under load).
    const paths = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => `pages/f${String(i).padStart(3, '0')}.ts`)
    await world.server.database.db.insert(files).values(paths.map((path) => ({ projectId, path })))
    const client = await connectMcp(world, await token('editor', projectId))
    expect(client.getServerCapabilities()?.resources).toBeDefined()

    const first = await client.listResources()
    expect(first.resources).toHaveLength(PAGE_SIZE)
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await client.listResources({ cursor: first.nextCursor })
    expect(second.nextCursor).toBeUndefined()
    const listed = [...first.resources, ...second.resources].map((r) => r.name)
    expect(listed).toEqual([...paths, 'src/my file.ts'])
    expect(second.resources.at(-1)).toEqual({
      uri: 'mimiverse://files/src/my%20file.ts',
      name: 'src/my file.ts',
      mimeType: 'text/plain',
    })

    // What a person types is what the resource reads (once the server acknowledged it).
    const { docName } = (await world.owner.api.files.list.query({ projectId })).find(
      (f) => f.path === 'src/my file.ts',
    )!
    const human = connectPeer({
      baseUrl: world.server.url,
      docName,
      user: world.owner,
      token: async () => (await world.owner.api.collab.token.mutate({ projectId })).token,
    })
    await human.synced()
    human.text.insert(0, '// typed live\n')
    await vi.waitFor(async () => {
      const read = await client.readResource({ uri: fileUri('src/my file.ts') })
      expect(read.contents).toEqual([
        {
          uri: 'mimiverse://files/src/my%20file.ts',
          mimeType: 'text/plain',
          text: '// typed live\nconst a = 1\n',
        },
      ])
    }, WAIT)

    human.destroy()

    const { resourceTemplates } = await client.listResourceTemplates()
    expect(resourceTemplates).toEqual([
      expect.objectContaining({ uriTemplate: FILE_URI_TEMPLATE, name: 'file' }),
    ])
    await client.close()
  })

  it("lets a reviewer's token read, only in its own project, and refuses what is not a file of it", async () => {
    const mine = await newProject('mine', { 'shared.ts': 'export const here = true\n' })
    const other = await newProject('other', { 'elsewhere.ts': 'secret\n' })
    const client = await connectMcp(world, await token('reviewer', mine))

    const names = (await client.listResources()).resources.map((r) => r.name)
    expect(names).toEqual(['shared.ts'])
    expect((await client.readResource({ uri: fileUri('shared.ts') })).contents[0]).toMatchObject({
      text: 'export const here = true\n',
    })
    // Another project's file is not found through this token; nor is a path that was never a file.
    expect(await codeOf(client.readResource({ uri: fileUri('elsewhere.ts') }))).toBe(-32002)
    expect(await codeOf(client.readResource({ uri: 'file:///etc/passwd' }))).toBe(-32602)
    expect(await codeOf(client.readResource({ uri: 'mimiverse://files/a/%2e%2e%2fb' }))).toBe(-32602)
    expect(await codeOf(client.listResources({ cursor: 'not a cursor of ours' }))).toBe(-32602)
    // The other project's token sees only that project.
    const theirs = await connectMcp(world, await token('reviewer', other))
    expect((await theirs.listResources()).resources.map((r) => r.name)).toEqual(['elsewhere.ts'])
    await theirs.close()
    await client.close()
  })
})
