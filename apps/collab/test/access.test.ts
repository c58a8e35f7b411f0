import { describe, expect, it, vi } from 'vitest'
import { CloseCode, docNameFor } from '@mimiverse/shared'
import { createCollabTokenIssuer } from '@mimiverse/server-kit'
import { hashToken } from '@mimiverse/db'
import { connectPeer, errorCodeOf, signUp } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef'

describe('reviewers', () => {
  it('never have an edit applied or stored, and still receive everyone else’s edits live', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base\n')
    const reviewer = await ws.member('reviewer', 'Rita')
    const editor = ws.peer(ws.owner)
    const watcher = ws.peer(reviewer)
    await Promise.all([editor.synced(), watcher.synced()])
    expect(watcher.provider.authorizedScope).toBe('readonly')

    editor.text.insert(5, 'from editor\n')
    await vi.waitFor(() => expect(watcher.text.toString()).toBe('base\nfrom editor\n'))

    watcher.text.insert(0, 'REVIEWER WAS HERE ')
    // Awareness flows for reviewers; once the editor sees this marker, the server has handled the edit before it.
    watcher.provider.setAwarenessField('cursor', { marker: 1 })
    await vi.waitFor(() => {
      const states = [...editor.provider.awareness!.getStates().values()]
      expect(states.some((s) => (s.cursor as { marker?: number } | undefined)?.marker === 1)).toBe(true)
    })
    expect(watcher.provider.hasUnsyncedChanges).toBe(true)
    expect(editor.text.toString()).toBe('base\nfrom editor\n')
    expect(server.hocuspocus.documents.get(ws.file.docName)?.getText('content').toString()).toBe(
      'base\nfrom editor\n',
    )
    expect(await ws.read()).toBe('base\nfrom editor\n')

    // The API refuses a reviewer's writes too.
    const api = reviewer.api
    expect(await errorCodeOf(api.files.create.mutate({ projectId: ws.project.id, path: 'x.ts' }))).toBe(
      'FORBIDDEN',
    )
    expect(await errorCodeOf(api.files.delete.mutate({ projectId: ws.project.id, fileId: ws.file.id }))).toBe(
      'FORBIDDEN',
    )
    expect(await errorCodeOf(api.projects.invite.mutate({ projectId: ws.project.id, role: 'editor' }))).toBe(
      'FORBIDDEN',
    )
    expect((await api.files.read.query({ projectId: ws.project.id, path: ws.file.path })).content).toContain(
      'from editor',
    )
  })
})

describe('collab tokens', () => {
  async function twoProjects() {
    const server = await newServer()
    const a = await newWorkspace(server, 'project A')
    const b = await newWorkspace(server, 'project B')
    return { server, a, b }
  }

  function refusedWith(server: { url: string }, docName: string, token: string) {
    const peer = connectPeer({ baseUrl: server.url, docName, token })
    onCleanup(() => peer.destroy())
    return peer
  }

  it('for project A cannot open a document of project B', async () => {
    const { server, a, b } = await twoProjects()
    const { token } = await a.owner.api.collab.token.mutate({ projectId: a.project.id })
    const peer = refusedWith(server, b.file.docName, token)
    await vi.waitFor(() => expect(peer.closeCodes).toContain(CloseCode.Forbidden))
    expect(peer.refusals[0]).toMatch(/not in this token's project/)
    expect(peer.text.toString()).toBe('')
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toContain('mimi_collab_refused_connections_total{code="4403"} 1')
  })

  it('is refused when forged, expired, or held by a non-member', async () => {
    const { server, a, b } = await twoProjects()
    const { token } = await a.owner.api.collab.token.mutate({ projectId: a.project.id })
    const [body, mac] = token.split('.')
    const forgedBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), pid: b.project.id }),
    ).toString('base64url')
    const forged = refusedWith(server, b.file.docName, `${forgedBody}.${mac}`)
    await vi.waitFor(() => expect(forged.closeCodes).toContain(CloseCode.Unauthorized))
    expect(forged.refusals[0]).toMatch(/signature/)

    const past = createCollabTokenIssuer(TEST_SECRET, 60, () => Date.now() - 3_600_000)
    const expiredToken = past.issue({
      userId: a.owner.id,
      name: 'A',
      projectId: a.project.id,
      role: 'owner',
    }).token
    const expired = refusedWith(server, a.file.docName, expiredToken)
    await vi.waitFor(() => expect(expired.closeCodes).toContain(CloseCode.Unauthorized))
    expect(expired.refusals[0]).toMatch(/expired/)

    // Correctly signed, but the user is not a member: membership is checked in the database.
    const stranger = await signUp(server.url, 'Stranger')
    const issuer = createCollabTokenIssuer(TEST_SECRET, 60)
    const strangerToken = issuer.issue({
      userId: stranger.id,
      name: 'S',
      projectId: a.project.id,
      role: 'owner',
      sessionTokenHash: hashToken(stranger.token),
    }).token
    const outsider = refusedWith(server, a.file.docName, strangerToken)
    await vi.waitFor(() => expect(outsider.closeCodes).toContain(CloseCode.Forbidden))
    expect(await errorCodeOf(stranger.api.collab.token.mutate({ projectId: a.project.id }))).toBe('FORBIDDEN')
    expect(await errorCodeOf(stranger.api.files.list.query({ projectId: a.project.id }))).toBe('FORBIDDEN')
  })

  it('refuses documents that do not exist', async () => {
    const { server, a } = await twoProjects()
    const { token } = await a.owner.api.collab.token.mutate({ projectId: a.project.id })
    const missing = refusedWith(
      server,
      docNameFor(a.project.id, '00000000-0000-4000-8000-000000000000'),
      token,
    )
    await vi.waitFor(() => expect(missing.closeCodes).toContain(CloseCode.DocumentNotFound))
    const garbage = refusedWith(server, 'not-a-document', token)
    await vi.waitFor(() => expect(garbage.closeCodes).toContain(CloseCode.DocumentNotFound))
  })
})

describe('agent tokens', () => {
  it('write only the document named in the token, and only for a requester who may edit', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base\n')
    const other = await ws.owner.api.files.create.mutate({ projectId: ws.project.id, path: 'other.ts' })
    const reviewer = await ws.member('reviewer', 'Rita')
    const issuer = createCollabTokenIssuer(TEST_SECRET, 60)
    const agentToken = (userId: string, role: 'owner' | 'reviewer', doc: string) =>
      issuer.issue({
        userId,
        name: 'Mimi',
        projectId: ws.project.id,
        role,
        agent: { runId: '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b', doc },
      }).token
    const refusedWith = (docName: string, token: string) => {
      const peer = connectPeer({ baseUrl: server.url, docName, token })
      onCleanup(() => peer.destroy())
      return peer
    }

    const agent = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      token: agentToken(ws.owner.id, 'owner', ws.file.docName),
    })
    onCleanup(() => agent.destroy())
    await agent.synced()
    agent.text.insert(0, 'agent ')
    await agent.acknowledged()
    expect(await ws.read()).toBe('agent base\n')

    const elsewhere = refusedWith(other.docName, agentToken(ws.owner.id, 'owner', ws.file.docName))
    await vi.waitFor(() => expect(elsewhere.closeCodes).toContain(CloseCode.Forbidden))
    expect(elsewhere.refusals[0]).toMatch(/another document/)

    // The role in the token does not matter: the requester's role is read from the database.
    const forReviewer = refusedWith(ws.file.docName, agentToken(reviewer.id, 'owner', ws.file.docName))
    await vi.waitFor(() => expect(forReviewer.closeCodes).toContain(CloseCode.Forbidden))
    expect(forReviewer.refusals[0]).toMatch(/may not edit/)
  })
})

describe('workspace tokens', () => {
  it('write every document of their one project, with no membership, and nothing elsewhere', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base\n')
    const elsewhere = await newWorkspace(server, 'other\n')
    const issuer = createCollabTokenIssuer(TEST_SECRET, 60)
    const mirror = connectPeer({
      baseUrl: server.url,
      docName: ws.file.docName,
      token: issuer.issueWorkspace(ws.project.id).token,
    })
    onCleanup(() => mirror.destroy())
    await mirror.synced()
    expect(mirror.provider.authorizedScope).toBe('read-write')
    mirror.text.insert(0, 'disk ')
    await mirror.acknowledged()
    expect(await ws.read()).toBe('disk base\n')

    const refused = async (docName: string, token: string, code: number, reason: RegExp) => {
      const peer = connectPeer({ baseUrl: server.url, docName, token })
      onCleanup(() => peer.destroy())
      await vi.waitFor(() => expect(peer.closeCodes).toContain(code))
      expect(peer.refusals[0]).toMatch(reason)
    }
    // Pinned to its project: another project's document is refused.
    await refused(
      elsewhere.file.docName,
      issuer.issueWorkspace(ws.project.id).token,
      CloseCode.Forbidden,
      /token's project/,
    )
    // Only the server's secret makes one.
    await refused(
      ws.file.docName,
      createCollabTokenIssuer('another-secret-0123456789abcdef0123456789', 60).issueWorkspace(ws.project.id)
        .token,
      CloseCode.Unauthorized,
      /signature/,
    )
    // What the API hands out for a member never carries the claim.
    const { token } = await ws.owner.api.collab.token.mutate({ projectId: ws.project.id })
    expect(issuer.verify(token).workspace).toBeUndefined()
  })
})
