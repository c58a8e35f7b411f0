import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { CloseCode, ProjectDoc, projectDocName } from '@mimiverse/shared'
import { loadDocumentUpdates } from '@mimiverse/db'
import { agentTestToken, connectPeer } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

const WAIT = { timeout: 20_000, interval: 50 }

describe("the project's shared commit message", () => {
  it('is one text for everyone who types into it; a reviewer reads it and cannot change it', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const name = projectDocName(ws.project.id, ProjectDoc.CommitMessage)
    const bob = await ws.member('editor', 'Bob')
    const rita = await ws.member('reviewer', 'Rita')
    const [ann, ofBob, ofRita] = [ws.peer(ws.owner, name), ws.peer(bob, name), ws.peer(rita, name)]
    await Promise.all([ann.synced(), ofBob.synced(), ofRita.synced()])
    expect(ann.provider.authorizedScope).toBe('read-write')
    expect(ofRita.provider.authorizedScope).toBe('readonly')

    ann.text.insert(0, 'Fix the parser')
    ofBob.text.insert(0, 'Parser: ')
    await Promise.all([ann.acknowledged(), ofBob.acknowledged()])
    await vi.waitFor(() => {
      expect(ann.text.toString()).toBe(ofBob.text.toString())
      expect(ofRita.text.toString()).toBe(ann.text.toString())
    }, WAIT)
    const agreed = ann.text.toString()
    expect(agreed).toContain('Fix the parser')
    expect(agreed).toContain('Parser: ')

    // The reviewer's edit is dropped by the server: once Ann sees Rita's awareness marker sent after it, the
    // server has handled the edit, and nobody has it.
    ofRita.text.insert(0, 'RITA ')
    ofRita.provider.setAwarenessField('cursor', { marker: 1 })
    await vi.waitFor(() => {
      const states = [...ann.provider.awareness!.getStates().values()]
      expect(states.some((s) => (s.cursor as { marker?: number } | undefined)?.marker === 1)).toBe(true)
    }, WAIT)
    expect(ann.text.toString()).toBe(agreed)
    expect(server.hocuspocus.documents.get(name)?.getText('content').toString()).toBe(agreed)
    // What editors typed is stored like any document's updates.
    expect((await loadDocumentUpdates(server.database.db, name)).length).toBeGreaterThan(0)
  })

  it('is refused to non-members, to the workspace mirror and to agent tokens', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const other = await newWorkspace(server)
    const name = projectDocName(ws.project.id, ProjectDoc.CommitMessage)
    const stranger = connectPeer({
      baseUrl: server.url,
      docName: name,
      token: async () => (await other.owner.api.collab.token.mutate({ projectId: other.project.id })).token,
    })
    onCleanup(() => stranger.destroy())
    const mirror = ws.mirror(name)
    const agent = connectPeer({
      baseUrl: server.url,
      docName: name,
      token: agentTestToken({
        requester: ws.owner,
        projectId: ws.project.id,
        docName: ws.file.docName,
        runId: randomUUID(),
      }),
    })
    onCleanup(() => agent.destroy())
    await vi.waitFor(() => {
      expect(stranger.closeCodes).toContain(CloseCode.Forbidden)
      expect(mirror.closeCodes).toContain(CloseCode.Forbidden)
      expect(agent.closeCodes).toContain(CloseCode.Forbidden)
    }, WAIT)
    expect(mirror.refusals[0]).toMatch(/files only/)
  })
})
