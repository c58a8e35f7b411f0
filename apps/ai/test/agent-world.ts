import type * as Y from 'yjs'
import {
  connectPeer,
  newTestServer,
  signUp,
  type Peer,
  type TestServer,
  type TestUser,
} from '@mimiverse/collab/testing'
import { AGENT_RUNS_FIELD, type AgentRunMark } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import type { Database } from '@mimiverse/db'
import { newTempDir } from '@mimiverse/db/testing'
import { mountRunner, parseRunnerEnv, type Runner } from '@mimiverse/runner/handler'
import type { AgentRun } from '../src/contracts/agent'
import { parseEnv } from '../src/env'
import { createAiHandler } from '../src/handler'
import type { ServiceOverrides } from '../src/services/index'
import { newOllamaDouble, type OllamaDouble } from './doubles/ollama-double'
import { aiClient } from './seed'

/**
 * The embedded composition for agent tests and the benchmark: a real collab server on port 0 with the AI
 * service mounted (as `scripts/embedded.ts` does), the Ollama double behind it, real users and real providers.
 */
export interface AgentWorld {
  server: TestServer
  /** The workspace runner, when the world was made `withRunner`. */
  runner: Runner | null
  ollama: OllamaDouble
  owner: TestUser
  projectId: string
  ai: ReturnType<typeof aiClient>
  /** A new file with `content`; returns its document name. */
  file(path: string, content: string): Promise<string>
  peer(docName: string, user?: TestUser): Peer
  read(path: string): Promise<string>
  /** Scripts the model's answer, split into pieces of `size` characters (tokens). */
  answer(text: string, size?: number): void
  member(role: 'editor' | 'reviewer', name: string): Promise<TestUser>
  /** Polls the run's status until it is no longer running (rejects after `timeoutMs`). */
  finished(runId: string, timeoutMs?: number): Promise<AgentRun>
  close(): Promise<void>
}

export async function newAgentWorld(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
  options: {
    /**
     * Also mounts the workspace runner (working trees in a temporary folder, real sandboxed terminals) and hands
     * its command runner and git to the agent, as `scripts/embedded.ts` does.
     */
    withRunner?: boolean
    /** The database the world runs on (the caller closes it); default: in-memory PGlite. */
    database?: Database
  } = {},
): Promise<AgentWorld> {
  const ollama = await newOllamaDouble()
  const workspaces = options.withRunner ? await newTempDir('mimi-agent-workspaces-') : null
  let runner: Runner | null = null
  const server = await newTestServer({
    database: options.database,
    mounts: (deps) => {
      const { database, log, secret, collabUrl } = deps
      const aiEnv = parseEnv({ LOG_LEVEL: 'silent', AI_WARMUP: 'false', OLLAMA_HOST: ollama.url, ...env })
      if (workspaces) {
        runner = mountRunner(
          { ...deps, log: createLogger('silent') },
          parseRunnerEnv({
            WORKSPACES_DIR: workspaces.path,
            MIRROR_IDLE_SECONDS: '0',
            MIRROR_POLL_MS: '100',
          }),
        )
      }
      const ai = createAiHandler({
        env: aiEnv,
        database,
        log: aiEnv.LOG_LEVEL === 'silent' ? createLogger('silent') : log,
        processMetrics: false,
        collab: { url: collabUrl, secret },
        overrides: {
          presence: deps.presence,
          ...overrides,
          ...(runner ? { commands: runner.commands, git: runner.git } : {}),
        },
      })
      return runner ? [ai, runner] : [ai]
    },
  })
  const owner = await signUp(server.url, 'Ann')
  const project = await owner.api.projects.create.mutate({ name: 'agent' })
  const peers: Peer[] = []
  const paths = new Map<string, string>()
  const ai = aiClient(server.url, owner.token)
  return {
    server,
    runner,
    ollama,
    owner,
    projectId: project.id,
    ai,
    async file(path, content) {
      const f = await owner.api.files.create.mutate({ projectId: project.id, path, content })
      paths.set(f.docName, path)
      return f.docName
    },
    peer(docName, user = owner) {
      const p = connectPeer({
        baseUrl: server.url,
        docName,
        user,
        token: async () => (await user.api.collab.token.mutate({ projectId: project.id })).token,
      })
      peers.push(p)
      return p
    },
    read: async (path) => (await owner.api.files.read.query({ projectId: project.id, path })).content,
    answer(text, size = 3) {
      ollama.chunks = text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? []
    },
    async member(role, name) {
      const user = await signUp(server.url, name)
      const { code } = await owner.api.projects.invite.mutate({ projectId: project.id, role })
      await user.api.projects.join.mutate({ code })
      return user
    },
    async finished(runId, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs
      for (;;) {
        const run = await ai.agent.status.query({ runId })
        if (run.state !== 'running') return run
        if (performance.now() > deadline) throw new Error(`run ${runId} still running after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async close() {
      for (const p of peers) p.destroy()
      await server.stop()
      await ollama.close()
      await workspaces?.remove()
    },
  }
}

/** The agent's highlight entries in a client's copy of the document. */
export function marksOf(doc: Y.Doc): Map<string, AgentRunMark> {
  return new Map(doc.getMap<AgentRunMark>(AGENT_RUNS_FIELD).entries())
}

/** An old/new block in the agent's edit format. */
export function block(oldText: string, newText: string): string {
  return `<<<<<<< OLD\n${oldText}\n=======\n${newText}\n>>>>>>> NEW\n`
}
