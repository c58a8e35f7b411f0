import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { newTestServer, signUp, type TestServer, type TestUser } from '@mimiverse/collab/testing'
import { createLogger, type AccessChanges } from '@mimiverse/server-kit'
import { parseEnv } from '../src/env'
import { createRunnerHandler, type RunnerHandler } from '../src/handler'
import { connectTerminalClient, type TerminalClient } from '../src/testing/terminal-client'

/** Registers cleanups that run after each test, newest first. */
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

/** Gentle limits: the machine is shared, and a fork bomb must stop early. */
const TEST_ENV = { RUNNER_MAX_PROCESSES: '64', RUNNER_IDLE_MINUTES: '5' }

export interface RunnerWorld {
  server: TestServer
  runner: RunnerHandler
  /** The bus the workspace API announces membership changes on (shared with the runner, as when embedded). */
  accessChanges: AccessChanges
  dataDir: string
  workspacesDir: string
}

/** A real collab server on port 0 with the runner mounted as in the embedded default; DATA_DIR in a temp folder. */
export async function newRunnerWorld(env: Record<string, string> = {}): Promise<RunnerWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mimi-runner-'))
  onCleanup(() => rm(dataDir, { recursive: true, force: true }))
  const runnerEnv = parseEnv({ DATA_DIR: dataDir, ...TEST_ENV, ...env })
  let runner: RunnerHandler | undefined
  let bus: AccessChanges | undefined
  const server = await newTestServer({
    mounts: ({ database, secret, accessChanges }) => {
      bus = accessChanges
      runner = createRunnerHandler({
        env: runnerEnv,
        database,
        log: createLogger('silent'),
        secret,
        accessChanges,
      })
      return [runner]
    },
  })
  onCleanup(() => server.stop())
  return { server, runner: runner!, accessChanges: bus!, dataDir, workspacesDir: runnerEnv.WORKSPACES_DIR }
}

/** An owner with a project, and a way to add editors and reviewers by invitation. */
export async function newProject(server: TestServer, name = 'Owner') {
  const owner = await signUp(server.url, name)
  const project = await owner.api.projects.create.mutate({ name: 'demo' })
  const member = async (role: 'editor' | 'reviewer', memberName: string): Promise<TestUser> => {
    const user = await signUp(server.url, memberName)
    const { code } = await owner.api.projects.invite.mutate({ projectId: project.id, role })
    await user.api.projects.join.mutate({ code })
    return user
  }
  return { owner, projectId: project.id, member }
}

/** A terminal channel client for `user` (a fresh collab token unless one is given), closed after the test. */
export async function connectTerminals(
  server: TestServer,
  user: TestUser,
  projectId: string,
  token?: string,
): Promise<TerminalClient> {
  const auth = token ?? (await user.api.collab.token.mutate({ projectId })).token
  const client = await connectTerminalClient(server.url, projectId, auth)
  onCleanup(() => client.close())
  return client
}

/** The budget of `expect.poll` in these tests: real PTYs on a busy machine. */
export const WAIT = { timeout: 20_000, interval: 25 }
