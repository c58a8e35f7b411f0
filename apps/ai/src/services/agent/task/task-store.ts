import { and, asc, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import {
  agentProjectSettings,
  agentTaskEvents,
  agentTaskFiles,
  agentTasks,
  users,
} from '@mimiverse/db/schema'
import type { AgentEvent, AgentTask, AgentTaskFile, AgentTaskState } from '../../../contracts/agent'
import { staleBefore as stale } from '../liveness'

/**
 * The task runs' tables: the run (who asked what, how it ended, steps and tokens), its events in order, the
 * files it changed with their review, and each project's command policy. A running run's `alive_at` is
 * refreshed by its process (see `../liveness`); one its process stopped refreshing is reported (and then
 * recorded) as `interrupted`, whichever node reads it.
 */
export interface TaskStore {
  /** `agent`: the outside agent (over `/mcp`) whose session the run is; absent for Mimi's own runs. */
  create(run: {
    id: string
    projectId: string
    requesterId: string
    instruction: string
    agent?: string
  }): Promise<void>
  append(runId: string, event: Omit<AgentEvent, 'at'>): Promise<void>
  progress(runId: string, p: { steps: number; tokens: number }): Promise<void>
  heartbeat(runIds: string[]): Promise<void>
  finish(
    runId: string,
    o: { state: AgentTaskState; message: string; steps: number; tokens: number },
  ): Promise<void>
  touchFile(runId: string, f: Omit<AgentTaskFile, 'review'>): Promise<void>
  review(runId: string, docNames: string[], review: 'accepted' | 'undone', by: string): Promise<void>
  get(runId: string): Promise<AgentTask | null>
  list(projectId: string, limit: number): Promise<AgentTask[]>
  events(runId: string, after: number, limit: number): Promise<AgentEvent[]>
  /** Whether a run of Mimi's (not interrupted) is working in the project (outside agents' sessions aside). */
  runningIn(projectId: string): Promise<boolean>
  allowsCommands(projectId: string): Promise<boolean>
  setAllowCommands(projectId: string, allow: boolean): Promise<void>
}

const columns = {
  runId: agentTasks.id,
  projectId: agentTasks.projectId,
  instruction: agentTasks.instruction,
  agent: agentTasks.agent,
  requesterId: agentTasks.requesterId,
  requesterName: users.name,
  state: agentTasks.state,
  message: agentTasks.message,
  steps: agentTasks.steps,
  tokens: agentTasks.tokens,
  aliveAt: agentTasks.aliveAt,
  createdAt: agentTasks.createdAt,
  finishedAt: agentTasks.finishedAt,
}

const INTERRUPTED = 'interrupted: the AI service running it stopped'

export function createTaskStore(db: Db): TaskStore {
  const select = () =>
    db.select(columns).from(agentTasks).innerJoin(users, eq(users.id, agentTasks.requesterId))
  type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number]

  /** Records the runs a dead process left running as interrupted (once; later reads see it stored). */
  const interrupt = async (ids: string[]) => {
    if (ids.length === 0) return
    await db
      .update(agentTasks)
      .set({ state: 'interrupted', message: INTERRUPTED, finishedAt: new Date() })
      .where(
        and(inArray(agentTasks.id, ids), eq(agentTasks.state, 'running'), lt(agentTasks.aliveAt, stale())),
      )
  }
  const toTasks = async (rows: Row[]): Promise<AgentTask[]> => {
    const dead = rows.filter((r) => r.state === 'running' && r.aliveAt < stale())
    await interrupt(dead.map((r) => r.runId))
    const files =
      rows.length === 0
        ? []
        : await db
            .select()
            .from(agentTaskFiles)
            .where(
              inArray(
                agentTaskFiles.runId,
                rows.map((r) => r.runId),
              ),
            )
            .orderBy(asc(agentTaskFiles.path))
    return rows.map((r) => {
      const died = dead.includes(r)
      const mine = files.filter((f) => f.runId === r.runId)
      return {
        runId: r.runId,
        kind: 'task',
        projectId: r.projectId,
        instruction: r.instruction,
        agent: r.agent,
        requester: { id: r.requesterId, name: r.requesterName },
        state: died ? 'interrupted' : (r.state as AgentTaskState),
        message: died ? INTERRUPTED : r.message,
        steps: r.steps,
        tokens: r.tokens,
        review: reviewOf(mine.map((f) => f.review)),
        files: mine.map((f) => ({
          path: f.path,
          docName: f.docName,
          inserted: f.inserted,
          deleted: f.deleted,
          review: f.review as AgentTaskFile['review'],
        })),
        createdAt: r.createdAt.toISOString(),
        finishedAt: died ? new Date().toISOString() : (r.finishedAt?.toISOString() ?? null),
      }
    })
  }

  return {
    async create(run) {
      await db.insert(agentTasks).values(run)
    },
    async append(runId, e) {
      await db
        .insert(agentTaskEvents)
        .values({ runId, seq: e.seq, type: e.type, stepId: e.stepId, data: e.data })
    },
    async progress(runId, p) {
      await db
        .update(agentTasks)
        .set({ ...p, aliveAt: new Date() })
        .where(eq(agentTasks.id, runId))
    },
    async heartbeat(runIds) {
      if (runIds.length === 0) return
      await db
        .update(agentTasks)
        .set({ aliveAt: new Date() })
        .where(and(inArray(agentTasks.id, runIds), eq(agentTasks.state, 'running')))
    },
    async finish(runId, o) {
      await db
        .update(agentTasks)
        .set({ ...o, finishedAt: new Date() })
        .where(eq(agentTasks.id, runId))
    },
    async touchFile(runId, f) {
      await db
        .insert(agentTaskFiles)
        .values({ runId, ...f })
        .onConflictDoUpdate({
          target: [agentTaskFiles.runId, agentTaskFiles.docName],
          set: { path: f.path, inserted: f.inserted, deleted: f.deleted },
        })
    },
    async review(runId, docNames, review, by) {
      if (docNames.length === 0) return
      await db
        .update(agentTaskFiles)
        .set({ review, reviewedBy: by })
        .where(and(eq(agentTaskFiles.runId, runId), inArray(agentTaskFiles.docName, docNames)))
    },
    async get(runId) {
      const rows = await select().where(eq(agentTasks.id, runId))
      return (await toTasks(rows))[0] ?? null
    },
    async list(projectId, limit) {
      const rows = await select()
        .where(eq(agentTasks.projectId, projectId))
        .orderBy(desc(agentTasks.createdAt))
        .limit(limit)
      return toTasks(rows)
    },
    async events(runId, after, limit) {
      const rows = await db
        .select()
        .from(agentTaskEvents)
        .where(and(eq(agentTaskEvents.runId, runId), gt(agentTaskEvents.seq, after)))
        .orderBy(asc(agentTaskEvents.seq))
        .limit(limit)
      return rows.map((r) => ({
        seq: r.seq,
        type: r.type as AgentEvent['type'],
        stepId: r.stepId,
        data: r.data as Record<string, unknown>,
        at: r.createdAt.toISOString(),
      }))
    },
    async runningIn(projectId) {
      const rows = await db
        .select({ id: agentTasks.id })
        .from(agentTasks)
        .where(
          and(
            eq(agentTasks.projectId, projectId),
            eq(agentTasks.state, 'running'),
            gt(agentTasks.aliveAt, stale()),
            isNull(agentTasks.agent),
          ),
        )
        .limit(1)
      return rows.length > 0
    },
    async allowsCommands(projectId) {
      const [row] = await db
        .select({ allow: agentProjectSettings.allowCommands })
        .from(agentProjectSettings)
        .where(eq(agentProjectSettings.projectId, projectId))
      return row?.allow ?? false
    },
    async setAllowCommands(projectId, allow) {
      await db
        .insert(agentProjectSettings)
        .values({ projectId, allowCommands: allow })
        .onConflictDoUpdate({ target: agentProjectSettings.projectId, set: { allowCommands: allow } })
    },
  }
}

function reviewOf(reviews: string[]): AgentTask['review'] {
  const kinds = new Set(reviews)
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has('pending'))) return 'pending'
  if (kinds.size === 1) return [...kinds][0] as 'accepted' | 'undone'
  return 'partial'
}
