import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { newTestServer, signUp, type TestServer, type TestUser } from '@mimiverse/collab/testing'
import type { TerminalClientMessage, TerminalServerMessage } from '@mimiverse/shared/terminal-protocol'
import { createLogger } from '@mimiverse/server-kit'
import { parseEnv } from '../src/env'
import { createRunnerHandler, type RunnerHandler } from '../src/handler'

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
  dataDir: string
  workspacesDir: string
}

/** A real collab server on port 0 with the runner mounted as in the embedded default; DATA_DIR in a temp folder. */
export async function newRunnerWorld(env: Record<string, string> = {}): Promise<RunnerWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mimi-runner-'))
  onCleanup(() => rm(dataDir, { recursive: true, force: true }))
  const runnerEnv = parseEnv({ DATA_DIR: dataDir, ...TEST_ENV, ...env })
  let runner: RunnerHandler | undefined
  const server = await newTestServer({
    mounts: ({ database, secret, accessChanges }) => {
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
  return { server, runner: runner!, dataDir, workspacesDir: runnerEnv.WORKSPACES_DIR }
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

/**
 * A terminal channel client as the web app is one: every message kept, and per terminal what it would show
 * (the last `screen` followed by the `output` since, raw escape sequences included).
 */
export interface TerminalClient {
  messages: TerminalServerMessage[]
  send(message: TerminalClientMessage | Record<string, unknown>): void
  /** What the client has of a terminal: the last screen and every output after it. */
  shown(id: string): string
  /** Resolves with the first message (already received or coming) that matches. */
  next<T extends TerminalServerMessage['type']>(
    type: T,
    where?: (m: Extract<TerminalServerMessage, { type: T }>) => boolean,
  ): Promise<Extract<TerminalServerMessage, { type: T }>>
  /** Opens a terminal and resolves with its id (the first one listed that this client did not know). */
  open(run?: string): Promise<string>
  /** Types a line into a terminal. */
  type(id: string, line: string): void
  closed: Promise<{ code: number; reason: string }>
  ws: WebSocket
}

export async function connectTerminals(
  server: TestServer,
  user: TestUser,
  projectId: string,
  token?: string,
): Promise<TerminalClient> {
  const auth = token ?? (await user.api.collab.token.mutate({ projectId })).token
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/terminals?project=${projectId}`)
  onCleanup(() => ws.close())
  const messages: TerminalServerMessage[] = []
  const shown = new Map<string, string>()
  const waiters = new Set<() => void>()
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as TerminalServerMessage
    messages.push(m)
    if (m.type === 'screen') shown.set(m.id, m.data)
    if (m.type === 'output') shown.set(m.id, (shown.get(m.id) ?? '') + m.data)
    for (const w of waiters) w()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const send = (message: object) => ws.send(JSON.stringify(message))
  send({ type: 'auth', token: auth })
  const client: TerminalClient = {
    messages,
    send,
    shown: (id) => shown.get(id) ?? '',
    next(type, where = () => true) {
      type M = Extract<TerminalServerMessage, { type: typeof type }>
      const find = () => messages.find((m): m is M => m.type === type && where(m as M))
      return new Promise((resolve) => {
        const check = () => {
          const found = find()
          if (!found) return
          waiters.delete(check)
          resolve(found)
        }
        waiters.add(check)
        check()
      })
    },
    async open(run) {
      const known = new Set(
        messages
          .flatMap((m) => (m.type === 'list' || m.type === 'hello' ? m.terminals : []))
          .map((t) => t.id),
      )
      send({ type: 'open', cols: 100, rows: 30, ...(run ? { run: { script: run } } : {}) })
      const list = await client.next('list', (m) => m.terminals.some((t) => !known.has(t.id)))
      return list.terminals.find((t) => !known.has(t.id))!.id
    },
    type: (id, line) => send({ type: 'input', id, data: `${line}\r` }),
    closed,
    ws,
  }
  return client
}

/** Polls `done` until it holds (vitest's `expect.poll` with our default budget). */
export const WAIT = { timeout: 20_000, interval: 25 }
