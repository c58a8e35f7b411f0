import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import {
  CloseCode,
  COLORS_EVENT,
  COMMENTS_EVENT,
  FILES_EVENT,
  PRESENCE_COLORS,
  ProjectDoc,
  projectDocName,
  projectEventOf,
} from '@mimiverse/shared'
import { insertFile, loadDocumentUpdates } from '@mimiverse/db'
import { connectPeer, type Peer } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

const WAIT = { timeout: 20_000, interval: 50 }

/** The project events a peer heard, in order. */
function heard(peer: Peer, projectId: string): string[] {
  const events: string[] = []
  peer.provider.on('stateless', ({ payload }: { payload: string }) => {
    const type = projectEventOf(payload, projectId)
    if (type) events.push(type)
  })
  return events
}

describe("the project's events document", () => {
  it('tells a member with no file open of file, comment and colour changes, whoever made them', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'const x = 1\n')
    const rita = await ws.member('reviewer', 'Rita')
    const name = projectDocName(ws.project.id, ProjectDoc.Events)
    const listener = ws.peer(rita, name)
    const events = heard(listener, ws.project.id)
    await listener.synced()
    const projectId = ws.project.id

    // Each change is announced once it is in the database, however it was made; and a project is announced
    // when its first document opens on a node (its list may have changed just before).
    const filesHeard = () => events.filter((e) => e === FILES_EVENT).length
    await vi.waitFor(() => expect(filesHeard()).toBe(1), WAIT)
    const created = await ws.owner.api.files.create.mutate({ projectId, path: 'b.ts' })
    await vi.waitFor(() => expect(filesHeard()).toBe(2), WAIT)
    await ws.owner.api.files.rename.mutate({ projectId, fileId: created.id, path: 'c.ts' })
    await vi.waitFor(() => expect(filesHeard()).toBe(3), WAIT)
    await ws.owner.api.files.delete.mutate({ projectId, fileId: created.id })
    await vi.waitFor(() => expect(filesHeard()).toBe(4), WAIT)
    // The workspace mirror (a command wrote a file), and the AI service writing a file row from its own process.
    await server.workspaceFiles.create(projectId, 'generated.ts', 'export {}\n')
    await vi.waitFor(() => expect(filesHeard()).toBe(5), WAIT)
    await insertFile(server.database.db, { projectId, path: 'by-agent.ts' })
    await vi.waitFor(() => expect(filesHeard()).toBe(6), WAIT)

    await ws.owner.api.comments.create.mutate({ projectId, path: ws.file.path, from: 0, to: 5, body: 'why?' })
    await vi.waitFor(() => expect(events).toContain(COMMENTS_EVENT), WAIT)

    const colors = await ws.owner.api.settings.colors.query({ projectId })
    const free = PRESENCE_COLORS.find((c) => !colors.some((m) => m.color === c))!
    await ws.owner.api.settings.update.mutate({ color: free })
    await vi.waitFor(() => expect(events).toContain(COLORS_EVENT), WAIT)
    // A settings change that is not a colour announces nothing.
    const before = events.length
    await ws.owner.api.settings.update.mutate({ fontSize: 15 })
    await ws.owner.api.files.create.mutate({ projectId, path: 'marker.ts' })
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(before), WAIT)
    expect(events.slice(before)).toEqual([FILES_EVENT])
  })

  it('is written by nobody, owners included, and refused to non-members', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const other = await newWorkspace(server)
    const name = projectDocName(ws.project.id, ProjectDoc.Events)
    const owner = ws.peer(ws.owner, name)
    await owner.synced()
    expect(owner.provider.authorizedScope).toBe('readonly')
    owner.text.insert(0, 'not an event')
    // A file created after the edit is announced after the server handled the edit.
    const events = heard(owner, ws.project.id)
    await ws.owner.api.files.create.mutate({ projectId: ws.project.id, path: `after-${randomUUID()}.ts` })
    await vi.waitFor(() => expect(events).toContain(FILES_EVENT), WAIT)
    expect(server.hocuspocus.documents.get(name)?.getText('content').toString()).toBe('')
    expect(await loadDocumentUpdates(server.database.db, name)).toHaveLength(0)

    const stranger = connectPeer({
      baseUrl: server.url,
      docName: name,
      token: async () => (await other.owner.api.collab.token.mutate({ projectId: other.project.id })).token,
    })
    onCleanup(() => stranger.destroy())
    await vi.waitFor(() => expect(stranger.closeCodes).toContain(CloseCode.Forbidden), WAIT)
  })
})
