import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { newTempDir } from '@mimiverse/db/testing'
import {
  connectPeer,
  newTestServer,
  signUp,
  type Peer,
  type TestServer,
  type TestUser,
} from '@mimiverse/collab/testing'
import type { Logger } from '@mimiverse/server-kit'
import { mountRunner, parseRunnerEnv, type Runner } from '../src/handler'
import { onCleanup } from './fixtures'

/** One registry of cleanups for the runner's tests (the terminals' fixtures own it). */
export { onCleanup }

export interface MirrorWorld {
  server: TestServer
  runner: Runner
  workspaces: string
  owner: TestUser
  projectId: string
  /** The project's working tree. */
  folder: string
  /** Creates a project file through the API, as the IDE does. */
  create(path: string, content?: string): Promise<{ id: string; docName: string }>
  /** A person's editor on a file (a real provider). */
  peer(docName: string): Peer
  /** The stored text of a project file, through the API. */
  read(path: string): Promise<string>
  paths(): Promise<string[]>
  /** What `cat` prints for a file of the tree; null when it is not there. */
  cat(path: string): Promise<string | null>
}

/**
 * A real collab server with the runner mounted as in the embedded default (workspaces in a temporary folder), an
 * owner and a project.
 */
export async function newMirrorWorld(
  options: {
    env?: Record<string, string>
    workspaces?: string
    /** Where the server and the runner log (a test reads what was logged); default: silent. */
    log?: Logger
  } = {},
): Promise<MirrorWorld> {
  const temp = options.workspaces ? null : await newTempDir('mimi-workspaces-')
  if (temp) onCleanup(() => temp.remove())
  const workspaces = options.workspaces ?? temp!.path
  let runner: Runner | undefined
  const server = await newTestServer({
    log: options.log,
    mounts: (deps) => {
      runner = mountRunner(
        deps,
        parseRunnerEnv({
          WORKSPACES_DIR: workspaces,
          MIRROR_IDLE_SECONDS: '0',
          MIRROR_POLL_MS: '100',
          ...options.env,
        }),
      )
      return [runner]
    },
  })
  onCleanup(() => server.stop())
  const owner = await signUp(server.url, 'Ann')
  const project = await owner.api.projects.create.mutate({ name: 'demo' })
  const folder = join(workspaces, project.id)
  return {
    server,
    runner: runner!,
    workspaces,
    owner,
    projectId: project.id,
    folder,
    create: (path, content = '') => owner.api.files.create.mutate({ projectId: project.id, path, content }),
    peer: (docName) => {
      const p = connectPeer({
        baseUrl: server.url,
        docName,
        user: { id: owner.id, name: owner.name },
        token: async () => (await owner.api.collab.token.mutate({ projectId: project.id })).token,
      })
      onCleanup(() => p.destroy())
      return p
    },
    read: async (path) => (await owner.api.files.read.query({ projectId: project.id, path })).content,
    paths: async () =>
      (await owner.api.files.list.query({ projectId: project.id })).map((f) => f.path).sort(),
    cat: (path) => readFile(join(folder, path), 'utf8').catch(() => null),
  }
}
