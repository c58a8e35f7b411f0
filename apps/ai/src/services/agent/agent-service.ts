import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import type { Db } from '@mimiverse/db'
import type { Logger, RateLimiter } from '@mimiverse/server-kit'
import { AGENT_RUNS_FIELD, AppError, CONTENT_FIELD, ErrorCode } from '@mimiverse/shared'
import type { z } from 'zod'
import type { agentEditInput, AgentRun } from '../../contracts/agent'
import type { ChatService } from '../chat'
import type { AiMetrics } from '../metrics'
import type { ModelsReport } from '../models'
import type { Workspace } from '../workspace'
import { executeRun } from './agent-run'
import { joinAsAgent, type AgentCollab } from './agent-join'
import type { CollabSession } from './collab-session'
import { HEARTBEAT_MS } from './liveness'
import { createRunStore, type RunStore } from './run-store'
import { requireWriter as requireWriterIn, RunRegistry } from './run-registry'

/**
 * The AI agent as a live co-editor. `edit` checks who asks and what, records the run and starts it in
 * the background; the run joins the document over the collab protocol with a token issued for the requester
 * (pinned to that document), types its edit, and leaves. Each run keeps its Y.Doc and UndoManager in memory
 * (bounded by count and age) so `undo` can later reconnect that same document and revert exactly the agent's
 * changes. After a restart those are gone: `undo` then says so, `accept` still works (it only clears the
 * highlight). The process keeps its running runs' heartbeat fresh, so AI processes sharing one database leave
 * each other's runs alone, and a run whose process died is seen as failed (interrupted) by every process.
 */
export interface AgentService {
  edit(user: User, input: z.infer<typeof agentEditInput>): Promise<{ runId: string }>
  status(user: User, runId: string): Promise<AgentRun>
  cancel(user: User, runId: string): Promise<AgentRun>
  accept(user: User, runId: string): Promise<AgentRun>
  undo(user: User, runId: string): Promise<AgentRun>
  runs(user: User, projectId: string): Promise<AgentRun[]>
  /** Records runs that dead processes left `running` as failed, never a live process's (call at start-up). */
  recover(): Promise<void>
  close(): Promise<void>
}

interface User {
  id: string
  name: string
}

export interface AgentOptions {
  db: Db
  workspace: Workspace
  chat: ChatService
  models: () => Promise<ModelsReport>
  /** How the agent reaches collab; null: the agent is not configured (edit says what to set). */
  collab: AgentCollab | null
  limit: RateLimiter
  log: Logger
  metrics: AiMetrics
  batchMs: number
  /** Runs whose document stays in memory for Undo, and for how long. */
  keepRuns: number
  keepMs: number
  /** Longest wait for the collab server (sync, acknowledgement). */
  collabTimeoutMs: number
}

const LIST_LIMIT = 100

interface Live {
  runId: string
  docName: string
  projectId: string
  doc: Y.Doc
  /** Origin of the run's text changes: its UndoManager tracks only this. */
  origin: { runId: string }
  undo: Y.UndoManager
  abort: AbortController
  progress: { edits: number; inserted: number; deleted: number }
  done: Promise<void>
  finishedAt: number | null
  busy: boolean
}

export function createAgentService(opts: AgentOptions): AgentService {
  const store: RunStore = createRunStore(opts.db)
  const runningOn = new Map<string, string>()
  const log = opts.log.child({ component: 'agent' })
  const heartbeat = setInterval(() => {
    store
      .heartbeat([...runningOn.values()])
      .catch((e: unknown) => log.warn('agent heartbeat failed', { error: e }))
  }, HEARTBEAT_MS)
  heartbeat.unref()

  const live = new RunRegistry<Live>({
    keep: opts.keepRuns,
    keepMs: opts.keepMs,
    forget: (l) => {
      l.undo.destroy()
      l.doc.destroy()
    },
  })
  const requireWriter = (user: User, projectId: string, what: string) =>
    requireWriterIn(opts.workspace, user, projectId, what)
  const runFor = async (user: User, runId: string) => {
    const run = await store.get(runId)
    if (!run) throw new AppError(ErrorCode.NotFound, 'No such agent run')
    await opts.workspace.requireMember(user.id, run.projectId)
    const l = live.get(runId)
    return l && run.state === 'running' ? { ...run, ...l.progress } : run
  }
  const session = (docName: string, doc: Y.Doc, requester: User, projectId: string, runId: string) =>
    joinAsAgent({
      collab: opts.collab!,
      workspace: opts.workspace,
      timeoutMs: opts.collabTimeoutMs,
      docName,
      doc,
      requester,
      projectId,
      runId,
    })

  const start = (l: Live, spec: Parameters<typeof executeRun>[0], requester: User) => {
    const s = session(l.docName, l.doc, requester, l.projectId, l.runId)
    return (async () => {
      await store.started(l.runId)
      const outcome = await executeRun(spec, {
        doc: l.doc,
        session: s,
        chat: opts.chat,
        signal: l.abort.signal,
        batchMs: opts.batchMs,
        log,
        origin: l.origin,
        progress: l.progress,
        onBatch: (ms) => opts.metrics.agentBatch.observe(ms / 1000),
      })
      opts.metrics.agentRuns.inc({ state: outcome.state })
      await leave(s)
      await store.finish(l.runId, outcome)
      log.info('agent run finished', { runId: l.runId, state: outcome.state, ...l.progress })
    })()
      .catch((e: unknown) => log.error('agent run could not be recorded', { runId: l.runId, error: e }))
      .finally(() => {
        runningOn.delete(l.docName)
        live.finished(l)
      })
  }
  const leave = (s: CollabSession) =>
    s.leave().catch((e: unknown) => log.warn('agent could not leave cleanly', { error: e }))

  /** Reconnects a document (the run's own when kept), does `change`, waits for the server, leaves. */
  const review = async (user: User, runId: string, kind: 'accepted' | 'undone') => {
    const run = await runFor(user, runId)
    await requireWriter(user, run.projectId, kind === 'accepted' ? 'accept agent edits' : 'undo agent edits')
    if (run.state === 'running')
      throw new AppError(ErrorCode.Conflict, 'The run is still working; cancel it first')
    if (run.review !== 'pending') throw new AppError(ErrorCode.Conflict, `The run was already ${run.review}`)
    if (!opts.collab) throw notConfigured()
    const l = live.get(runId)
    if (kind === 'undone' && !l) {
      throw new AppError(
        ErrorCode.Conflict,
        'Undo is no longer available for this run (the AI service restarted or the run is too old); edit the text by hand or use Accept to clear the highlight',
      )
    }
    if (l?.busy) throw new AppError(ErrorCode.Conflict, 'The run is being reviewed already')
    if (l) l.busy = true
    const doc = l?.doc ?? new Y.Doc()
    const s = session(run.docName, doc, user, run.projectId, runId)
    try {
      await s.synced()
      if (kind === 'undone') {
        l!.undo.undo()
        await s.acknowledged()
      }
      // Recorded before the highlight goes: everyone's runs list reads the review again when the highlight
      // leaves their editor, and must then find it (it answered "pending" in the gap before).
      await store.review(runId, kind, user.id)
      doc.transact(() => doc.getMap(AGENT_RUNS_FIELD).delete(runId), 'agent-review')
      await s.acknowledged()
    } finally {
      await leave(s)
      if (l) l.busy = false
      if (!l) doc.destroy()
    }
    if (l) live.forget(l)
    return (await store.get(runId))!
  }

  return {
    async edit(user, input) {
      const projectId = opts.workspace.projectOf(input.docName)
      await requireWriter(user, projectId, 'ask the agent to edit')
      const path = await opts.workspace.pathOf(input.docName)
      if (!path) throw new AppError(ErrorCode.NotFound, 'No such file')
      if (!opts.collab) throw notConfigured()
      await opts.limit.hit(user.id)
      if (runningOn.has(input.docName) || (await store.runningOn(input.docName))) {
        throw new AppError(
          ErrorCode.Conflict,
          'The agent is already editing this file; wait for it or cancel it',
        )
      }
      await requireChatModel(opts.models)
      const runId = randomUUID()
      runningOn.set(input.docName, runId)
      try {
        await store.create({
          id: runId,
          projectId,
          docName: input.docName,
          path,
          requesterId: user.id,
          instruction: input.instruction,
          range: input.range,
        })
      } catch (e: unknown) {
        runningOn.delete(input.docName)
        throw e
      }
      const doc = new Y.Doc()
      const origin = { runId }
      const l: Live = {
        runId,
        docName: input.docName,
        projectId,
        doc,
        origin,
        // Tracks only this run's origin, as one stack item: Undo reverts exactly the agent's changes.
        undo: new Y.UndoManager(doc.getText(CONTENT_FIELD), {
          trackedOrigins: new Set([origin]),
          captureTimeout: Number.POSITIVE_INFINITY,
        }),
        abort: new AbortController(),
        progress: { edits: 0, inserted: 0, deleted: 0 },
        done: Promise.resolve(),
        finishedAt: null,
        busy: false,
      }
      live.add(l)
      const spec = {
        runId,
        path,
        instruction: input.instruction,
        requesterName: user.name,
        range: input.range,
      }
      l.done = start(l, spec, user)
      log.info('agent run started', { runId, doc: input.docName, requester: user.id })
      return { runId }
    },
    status: (user, runId) => runFor(user, runId),
    async cancel(user, runId) {
      const run = await runFor(user, runId)
      await requireWriter(user, run.projectId, 'cancel agent runs')
      const l = live.get(runId)
      if (run.state !== 'running' || !l) return run
      l.abort.abort()
      await l.done
      return (await store.get(runId))!
    },
    accept: (user, runId) => review(user, runId, 'accepted'),
    undo: (user, runId) => review(user, runId, 'undone'),
    async runs(user, projectId) {
      await opts.workspace.requireMember(user.id, projectId)
      const runs = await store.list(projectId, LIST_LIMIT)
      return runs.map((r) => {
        const l = live.get(r.runId)
        return l && r.state === 'running' ? { ...r, ...l.progress } : r
      })
    },
    async recover() {
      const n = await store.failInterrupted()
      if (n > 0) log.warn('agent runs of a stopped AI process marked failed', { runs: n })
    },
    close: () => {
      clearInterval(heartbeat)
      return live.close()
    },
  }
}

export function notConfigured(): AppError {
  return new AppError(
    ErrorCode.Unavailable,
    'The agent is not configured: give the AI service COLLAB_URL and the collab server’s SECRET',
  )
}

export async function requireChatModel(models: () => Promise<ModelsReport>): Promise<void> {
  const chat = (await models()).tasks.find((t) => t.task === 'chat')
  if (chat && chat.status !== 'ready') {
    throw new AppError(
      ErrorCode.Unavailable,
      `The agent needs the chat model ${chat.model}, which is ${chat.status}: ${chat.hint ?? 'start Ollama'}`,
    )
  }
}
