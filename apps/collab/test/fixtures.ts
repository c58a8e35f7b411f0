import { afterEach, expect, vi } from 'vitest'
import { WORKSPACE_USER } from '@mimiverse/shared'
import {
  connectPeer,
  newTestServer,
  signUp,
  type Peer,
  type TestServer,
  type TestUser,
  workspaceTestToken,
} from '../src/testing/index'

/** Registers cleanups that run after each test, newest first. */
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

export async function newServer(options: Parameters<typeof newTestServer>[0] = {}): Promise<TestServer> {
  const server = await newTestServer(options)
  onCleanup(() => server.stop())
  return server
}

/** An owner with a project and one file, plus a way to add members and connect peers. */
export async function newWorkspace(server: TestServer, content = '') {
  const owner = await signUp(server.url, 'Owner')
  const project = await owner.api.projects.create.mutate({ name: 'demo' })
  const file = await owner.api.files.create.mutate({ projectId: project.id, path: 'src/main.ts', content })
  const member = async (role: 'editor' | 'reviewer', name: string): Promise<TestUser> => {
    const user = await signUp(server.url, name)
    const { code } = await owner.api.projects.invite.mutate({ projectId: project.id, role })
    await user.api.projects.join.mutate({ code })
    return user
  }
  const peer = (user: TestUser, docName = file.docName): Peer => {
    const p = connectPeer({
      baseUrl: server.url,
      docName,
      user,
      token: async () => (await user.api.collab.token.mutate({ projectId: project.id })).token,
    })
    onCleanup(() => p.destroy())
    return p
  }
  /** The workspace mirror on `docName`, showing itself as the workspace in presence as the runner does. */
  const mirror = (docName = file.docName): Peer => {
    const p = connectPeer({
      baseUrl: server.url,
      docName,
      user: WORKSPACE_USER,
      token: workspaceTestToken(project.id),
    })
    onCleanup(() => p.destroy())
    return p
  }
  const read = async (path = file.path) =>
    (await owner.api.files.read.query({ projectId: project.id, path })).content
  return { owner, project, file, member, peer, mirror, read }
}

/**
 * Resolves once `observer` sees a fresh awareness marker from `sender`: the server handles a socket's frames in
 * order, so by then it has handled everything `sender` sent before (an update it refused included).
 */
let markers = 0
export async function serverHandledFrom(sender: Peer, observer: Peer): Promise<void> {
  const marker = ++markers
  sender.provider.setAwarenessField('cursor', { marker })
  await vi.waitFor(() => {
    const states = [...observer.provider.awareness!.getStates().values()]
    expect(states.some((s) => (s.cursor as { marker?: number } | undefined)?.marker === marker)).toBe(true)
  })
}
