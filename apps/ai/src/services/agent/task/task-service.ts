import { randomUUID } from 'node:crypto'
import type * as Y from 'yjs'
import type { Db } from '@mimiverse/db'
import type { Logger, RateLimiter } from '@mimiverse/server-kit'
import { AppError, ErrorCode, Role } from '@mimiverse/shared'
import type { z } from 'zod'
import type {
  AgentEvent,
  AgentTask,
  agentApproveInput,
  agentEventsInput,
  agentTaskInput,
} from '../../../contracts/agent'
import type { AiMetrics } from '../../metrics'
import type { ModelsReport } from '../../models'
import type { SearchQueries } from '../../search/query'
import type { Workspace } from '../../workspace'
import { joinAsAgent, type AgentCollab } from '../agent-join'
import { notConfigured, requireChatModel } from '../agent-service'
import { requireWriter as requireWriterIn, RunRegistry } from '../run-registry'
import type { WorkspaceGit } from '../../mcp/workspace-views'
import type { McpServerService } from '../mcp-servers/server-service'
import { openMcpToolset } from '../mcp-servers/mcp-toolset'
import { Approvals } from './approvals'
import type { CommandRunner } from './command-runner'
import { LiveTask } from './live-task'
import { RunFiles } from './run-files'
import { runTask } from './task-run'
import { reviewTask } from './task-review'
import { HEARTBEAT_MS } from '../liveness'
import { createTaskStore, type TaskStore } from './task-store'
import type { ToolChat } from './tool-chat'
import { externalRun, type ExternalRun } from './external-run'
import type { ToolContext } from './tool-context'

/**
 * Task runs of the agent (the public API `agent.task`, `agent.events`, `agent.approve`, and the task side of
 * `agent.cancel/accept/undo/runs`). Who may do what: any member of the project watches (runs, events); only
 * editors and owners start, approve, cancel and review; only owners change the project's command policy. The
 * run acts for its requester in that project only: its collab tokens carry the requester's current role,
 * pinned to one document each, and its file tools are scoped to the project.
 */
export interface TaskService {
  start(user: User, input: z.infer<typeof agentTaskInput>): Promise<{ runId: string }>
  events(
    user: User,
    input: z.infer<typeof agentEventsInput>,
  ): Promise<{ run: AgentTask; events: AgentEvent[] }>
  approve(user: User, input: z.infer<typeof agentApproveInput>): Promise<AgentTask>
  /** Whether `runId` is a task run (else it may be a one-file edit run). */
  isTask(runId: string): Promise<boolean>
  cancel(user: User, runId: string): Promise<AgentTask>
  review(user: User, runId: string, kind: 'accepted' | 'undone', path?: string): Promise<AgentTask>
  list(user: User, projectId: string): Promise<AgentTask[]>
  setAllowCommands(user: User, projectId: string, allow: boolean): Promise<{ allowCommands: boolean }>
  /**
   * A run driven from outside (an agent's MCP session) instead of by the model loop: the same tools, files,
   * events, highlights and review. The caller has authorized `user` in the project. `agent` is the outside
   * agent's identity: its name (the run's `agent`) and its awareness id (`outsideAgentId`), so it shows in
   * presence as itself, with its own colour, rather than as Mimi.
   */
  attach(user: User, o: { projectId: string; agent: { id: string; name: string } }): Promise<ExternalRun>
  close(): Promise<void>
}

export interface User {
  id: string
  name: string
}

export interface TaskOptions {
  db: Db
  workspace: Workspace
  search: SearchQueries
  model: ToolChat
  models: () => Promise<ModelsReport>
  collab: AgentCollab | null
  commands: CommandRunner | null
  /** The workspace's git (`show_diff` diffs with it when the workspace is a repository); null: none. */
  git: WorkspaceGit | null
  /** The project's MCP servers whose tools runs offer the model; null: none. */
  mcpServers: McpServerService | null
  mcpTimeouts: { listMs: number; callMs: number }
  limit: RateLimiter
  log: Logger
  metrics: AiMetrics
  maxSteps: number
  maxTokens: number
  commandTimeoutMs: number
  collabTimeoutMs: number
  keepRuns: number
  keepMs: number
  /** Our own time per tool round trip (the benchmark reads it). */
  onToolTime?: (tool: string, ms: number) => void
}

const LIST_LIMIT = 50
const EVENTS_LIMIT = 500
/** Documents one run keeps joined at once (each is a socket counted for the requester). */
const MAX_OPEN_FILES = 8

export function createTaskService(opts: TaskOptions): TaskService {
  const store: TaskStore = createTaskStore(opts.db)
  const approvals = new Approvals()
  const log = opts.log.child({ component: 'agent-task' })

  const heartbeat = setInterval(() => {
    const running = live.working().map((l) => l.runId)
    store.heartbeat(running).catch((e: unknown) => log.warn('agent heartbeat failed', { error: e }))
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const live = new RunRegistry<LiveTask>({
    keep: opts.keepRuns,
    keepMs: opts.keepMs,
    forget: (l) => {
      for (const f of l.files.all()) {
        f.undo.destroy()
        f.doc.destroy()
      }
    },
  })
  /** Projects whose run is being started (between the check and the registry). */
  const starting = new Set<string>()
  const requireWriter = (user: User, projectId: string, what: string) =>
    requireWriterIn(opts.workspace, user, projectId, what)
  const taskFor = async (user: User, runId: string) => {
    const run = await store.get(runId)
    if (!run) throw new AppError(ErrorCode.NotFound, 'No such agent run')
    await opts.workspace.requireMember(user.id, run.projectId)
    return run
  }
  const join =
    (l: { runId: string; projectId: string; requester: User; as?: { id: string; name: string } }) =>
    (docName: string, doc: Y.Doc) =>
      joinAsAgent({
        collab: opts.collab!,
        workspace: opts.workspace,
        timeoutMs: opts.collabTimeoutMs,
        docName,
        doc,
        requester: l.requester,
        projectId: l.projectId,
        runId: l.runId,
        ...(l.as ? { as: l.as } : {}),
      })

  const contextOf = (l: LiveTask): ToolContext => {
    let externalMs = 0
    const external = async <T>(work: Promise<T>): Promise<T> => {
      const started = performance.now()
      try {
        return await work
      } finally {
        externalMs += performance.now() - started
      }
    }
    return {
      runId: l.runId,
      projectId: l.projectId,
      requester: l.requester,
      db: opts.db,
      workspace: opts.workspace,
      search: opts.search,
      files: l.files,
      commands: opts.commands,
      git: opts.git,
      commandTimeoutMs: opts.commandTimeoutMs,
      origin: l.origin,
      signal: l.abort.signal,
      stepId: '',
      external,
      externalMs: () => externalMs,
      approve: async ({ kind, text, stepId }) => {
        if (kind !== 'delete' && (l.alwaysAllow || (await store.allowsCommands(l.projectId)))) return true
        l.emit({ type: 'approval', stepId, data: { kind, text } })
        const decision = await external(approvals.wait(l.runId, stepId, l.abort.signal))
        return decision !== 'deny'
      },
      onFileOp: (op) => l.fileOps.push(op),
      onFileChanged: (f) => {
        const n = f.edits.reduce((a, e) => ({ i: a.i + e.inserted, d: a.d + e.deleted }), { i: 0, d: 0 })
        l.record(() =>
          store.touchFile(l.runId, { docName: f.docName, path: f.path, inserted: n.i, deleted: n.d }),
        )
      },
    }
  }

  const execute = async (l: LiveTask, spec: { instruction: string; files: string[] }) => {
    const ctx = contextOf(l)
    const outcome = await runTask(
      { ...spec, maxSteps: opts.maxSteps, maxTokens: opts.maxTokens },
      {
        model: opts.model,
        ctx,
        emit: (e) => l.emit(e),
        progress: (p) => {
          store
            .progress(l.runId, p)
            .catch((e: unknown) => log.warn('agent progress not recorded', { error: e }))
        },
        openMcp: async () =>
          openMcpToolset((await opts.mcpServers?.forRun(l.projectId)) ?? [], {
            listTimeoutMs: opts.mcpTimeouts.listMs,
            callTimeoutMs: opts.mcpTimeouts.callMs,
            signal: l.abort.signal,
            emit: (e) => l.emit(e),
          }),
        onToolTime: (tool, ms) => {
          opts.metrics.agentToolSeconds.observe({ tool }, ms / 1000)
          opts.onToolTime?.(tool, ms)
        },
      },
    )
    await l.files.finish()
    for (const f of l.files.changed()) ctx.onFileChanged(f)
    l.emit({ type: 'end', stepId: null, data: { state: outcome.state, message: outcome.message } })
    await l.flushed()
    await store.finish(l.runId, outcome)
    opts.metrics.agentRuns.inc({ state: outcome.state })
    log.info('agent task finished', { runId: l.runId, state: outcome.state, steps: outcome.steps })
  }

  return {
    async start(user, input) {
      await requireWriter(user, input.projectId, 'give the agent a task')
      if (!opts.collab) throw notConfigured()
      await opts.limit.hit(user.id)
      const busy =
        starting.has(input.projectId) || live.working().some((l) => l.projectId === input.projectId)
      if (busy) throw alreadyWorking()
      // Reserved before the first await: two requests at once cannot both start a run in the project.
      starting.add(input.projectId)
      const runId = randomUUID()
      try {
        if (await store.runningIn(input.projectId)) throw alreadyWorking()
        await requireChatModel(opts.models)
        await store.create({
          id: runId,
          projectId: input.projectId,
          requesterId: user.id,
          instruction: input.instruction,
        })
      } finally {
        starting.delete(input.projectId)
      }
      const requester = { id: user.id, name: user.name }
      const origin = { runId }
      const files = new RunFiles({
        runId,
        requesterName: user.name,
        join: join({ runId, projectId: input.projectId, requester }),
        origin,
        maxOpen: MAX_OPEN_FILES,
        log,
      })
      const l = new LiveTask(runId, input.projectId, requester, files, origin, store, log)
      live.add(l)
      l.done = execute(l, { instruction: input.instruction, files: input.files ?? [] })
        .catch((e: unknown) => log.error('agent task could not be recorded', { runId, error: e }))
        .finally(() => live.finished(l))
      log.info('agent task started', { runId, projectId: input.projectId, requester: user.id })
      return { runId }
    },
    async events(user, input) {
      const run = await taskFor(user, input.runId)
      return { run, events: await store.events(input.runId, input.after ?? 0, EVENTS_LIMIT) }
    },
    async approve(user, input) {
      const run = await taskFor(user, input.runId)
      await requireWriter(user, run.projectId, 'approve agent steps')
      const l = live.get(input.runId)
      if (!l || l.finishedAt !== null)
        throw new AppError(ErrorCode.Conflict, 'The run is not working any more')
      if (!approvals.waiting(input.runId, input.stepId)) {
        throw new AppError(ErrorCode.Conflict, 'Nothing waits for a decision at this step (decided already?)')
      }
      if (input.decision === 'always') l.alwaysAllow = true
      l.emit({ type: 'decision', stepId: input.stepId, data: { decision: input.decision, by: user.name } })
      approvals.decide(input.runId, input.stepId, input.decision)
      return run
    },
    isTask: async (runId) => (await store.get(runId)) !== null,
    async cancel(user, runId) {
      const run = await taskFor(user, runId)
      await requireWriter(user, run.projectId, 'stop agent runs')
      const l = live.get(runId)
      if (run.state !== 'running' || !l) return run
      l.abort.abort()
      await l.done
      return (await store.get(runId))!
    },
    async review(user, runId, kind, path) {
      const run = await taskFor(user, runId)
      await requireWriter(
        user,
        run.projectId,
        kind === 'accepted' ? 'accept agent edits' : 'undo agent edits',
      )
      if (!opts.collab) throw notConfigured()
      await reviewTask({
        run,
        kind,
        path,
        user,
        live: live.get(runId),
        store,
        db: opts.db,
        join: join(run),
        log,
      })
      return (await store.get(runId))!
    },
    async list(user, projectId) {
      await opts.workspace.requireMember(user.id, projectId)
      return store.list(projectId, LIST_LIMIT)
    },
    async setAllowCommands(user, projectId, allow) {
      const role = await opts.workspace.requireMember(user.id, projectId)
      if (role !== Role.Owner) {
        throw new AppError(
          ErrorCode.Forbidden,
          'Only the owner decides whether the agent may run commands unasked',
        )
      }
      await store.setAllowCommands(projectId, allow)
      return { allowCommands: allow }
    },
    async attach(user, o) {
      if (!opts.collab) throw notConfigured()
      const runId = randomUUID()
      await store.create({
        id: runId,
        projectId: o.projectId,
        requesterId: user.id,
        instruction: `${o.agent.name} connected (MCP)`,
        agent: o.agent.name,
      })
      const requester = { id: user.id, name: user.name }
      const origin = { runId }
      const files = new RunFiles({
        runId,
        requesterName: user.name,
        join: join({ runId, projectId: o.projectId, requester, as: o.agent }),
        origin,
        maxOpen: MAX_OPEN_FILES,
        log,
      })
      const l = new LiveTask(runId, o.projectId, requester, files, origin, store, log)
      live.add(l)
      const run = externalRun(l, contextOf(l), {
        store,
        metrics: opts.metrics,
        finished: () => live.finished(l),
      })
      // agent.cancel (or this service closing) ends the session's run like the agent leaving does.
      l.abort.signal.addEventListener(
        'abort',
        () =>
          void run
            .end('Stopped.')
            .catch((e: unknown) => log.error('outside agent run not ended', { runId, error: e })),
        { once: true },
      )
      log.info('outside agent attached', {
        runId,
        projectId: o.projectId,
        agent: o.agent.name,
        requester: user.id,
      })
      return run
    },
    async close() {
      clearInterval(heartbeat)
      await live.close()
    },
  }
}

function alreadyWorking(): AppError {
  return new AppError(
    ErrorCode.Conflict,
    'The agent is already working on a task in this project; wait for it or stop it',
  )
}
