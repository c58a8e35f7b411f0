import { connectPeer, signUp, type Peer, type TestUser } from '../src/testing/clients'
import { withTimeout } from './wait'

/**
 * The people and documents of a run, set up only through the public API, as the web app would: an owner
 * signs up, creates a project with the documents and invites editors; each client then connects its own
 * provider (its own WebSocket) to one document, round-robin.
 */
export interface BenchClient {
  peer: Peer
  /** Index into `Workspace.files`. */
  file: number
}

export interface Workspace {
  owner: TestUser
  projectId: string
  files: { path: string; docName: string }[]
  /** Stored text of a file, read back through the API (from the database, not from server memory). */
  read(file: number): Promise<string>
}

/**
 * The server allows 20 sign-ups per address per hour (`services/index.ts`). Beyond that, clients share
 * accounts round-robin, like one person with several tabs: each still has its own provider and socket.
 */
const SIGN_UP_LIMIT = 20

export async function createWorkspace(baseUrl: string, opts: { documents: number; users: number }) {
  const owner = await signUp(baseUrl, 'Owner')
  const project = await owner.api.projects.create.mutate({ name: 'bench' })
  const files: Workspace['files'] = []
  for (let i = 0; i < opts.documents; i++) {
    const { path, docName } = await owner.api.files.create.mutate({
      projectId: project.id,
      path: `src/file-${i}.ts`,
    })
    files.push({ path, docName })
  }
  const editors = await inviteEditors(baseUrl, owner, project.id, Math.min(opts.users, SIGN_UP_LIMIT) - 1)
  const workspace: Workspace = {
    owner,
    projectId: project.id,
    files,
    read: async (file) =>
      (await owner.api.files.read.query({ projectId: project.id, path: files[file]!.path })).content,
  }
  return { workspace, users: [owner, ...editors] }
}

async function inviteEditors(
  baseUrl: string,
  owner: TestUser,
  projectId: string,
  count: number,
): Promise<TestUser[]> {
  const { code } = await owner.api.projects.invite.mutate({ projectId, role: 'editor' })
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = await signUp(baseUrl, `Editor${i + 1}`)
      await user.api.projects.join.mutate({ code })
      return user
    }),
  )
}

/** Connects `count` clients, client i on document i mod M, and resolves once every one has synced. */
export async function connectClients(opts: {
  baseUrl: string
  workspace: Workspace
  users: TestUser[]
  count: number
}): Promise<BenchClient[]> {
  const { workspace, users } = opts
  const clients = Array.from({ length: opts.count }, (_, i): BenchClient => {
    const user = users[i % users.length]!
    const file = i % workspace.files.length
    const peer = connectPeer({
      baseUrl: opts.baseUrl,
      docName: workspace.files[file]!.docName,
      token: async () => (await user.api.collab.token.mutate({ projectId: workspace.projectId })).token,
    })
    return { peer, file }
  })
  await withTimeout(Promise.all(clients.map((c) => c.peer.synced())), 30_000, 'every client to sync').catch(
    (e: unknown) => {
      const refusals = clients.flatMap((c) => c.peer.refusals)
      throw refusals.length > 0 ? new Error(`connections refused: ${refusals.join('; ')}`) : e
    },
  )
  return clients
}

/** Fails the run if any client's socket closed: a reconnect resends edits and would skew every count. */
export function assertStayedConnected(clients: readonly BenchClient[]): void {
  const codes = clients.flatMap((c) => c.peer.closeCodes)
  if (codes.length > 0)
    throw new Error(`clients were disconnected during the bench (close codes ${codes.join(', ')})`)
}
