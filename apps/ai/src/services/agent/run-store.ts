import { and, desc, eq, gt, inArray, lt } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { agentRuns, users } from '@mimiverse/db/schema'
import type { AgentRun, AgentRunState } from '../../contracts/agent'
import { staleBefore as stale } from './liveness'

/**
 * The `agent_runs` table: every run is recorded (who asked, what, where, how it ended, how it was reviewed). A
 * running run's `alive_at` is refreshed by the process that runs it (see `./liveness`); one its process stopped
 * refreshing is reported (and then recorded) as failed with `INTERRUPTED`, whichever process reads it, and no
 * longer holds its document.
 */
export interface RunStore {
  create(run: {
    id: string
    projectId: string
    docName: string
    path: string
    requesterId: string
    instruction: string
    range: unknown
  }): Promise<void>
  started(id: string): Promise<void>
  /** Refreshes the given runs of this process (those still running). */
  heartbeat(ids: string[]): Promise<void>
  finish(id: string, outcome: Outcome): Promise<void>
  review(id: string, review: 'accepted' | 'undone', by: string): Promise<void>
  get(id: string): Promise<AgentRun | null>
  list(projectId: string, limit: number): Promise<AgentRun[]>
  /** Whether a run of a live process is running on this document. */
  runningOn(docName: string): Promise<boolean>
  /**
   * Records as failed the runs that dead processes left `running` (not refreshed for `STALE_MS`), never a live
   * process's; returns how many.
   */
  failInterrupted(): Promise<number>
}

export interface Outcome {
  state: Exclude<AgentRunState, 'running'>
  message: string
  edits: number
  inserted: number
  deleted: number
}

const columns = {
  runId: agentRuns.id,
  projectId: agentRuns.projectId,
  docName: agentRuns.docName,
  path: agentRuns.path,
  instruction: agentRuns.instruction,
  requesterId: agentRuns.requesterId,
  requesterName: users.name,
  state: agentRuns.state,
  message: agentRuns.message,
  edits: agentRuns.edits,
  inserted: agentRuns.inserted,
  deleted: agentRuns.deleted,
  review: agentRuns.review,
  createdAt: agentRuns.createdAt,
  aliveAt: agentRuns.aliveAt,
  finishedAt: agentRuns.finishedAt,
}

/** What a run whose process stopped says, in words for the user. */
export const INTERRUPTED = 'interrupted: the AI service running it stopped'

type Row = Awaited<ReturnType<ReturnType<typeof selectRuns>['execute']>>[number]

const selectRuns = (db: Db) =>
  db.select(columns).from(agentRuns).innerJoin(users, eq(users.id, agentRuns.requesterId))

const died = (r: Row) => r.state === 'running' && r.aliveAt < stale()

function toRun(r: Row): AgentRun {
  const dead = died(r)
  return {
    runId: r.runId,
    kind: 'edit',
    projectId: r.projectId,
    docName: r.docName,
    path: r.path,
    instruction: r.instruction,
    requester: { id: r.requesterId, name: r.requesterName },
    state: dead ? 'failed' : (r.state as AgentRunState),
    message: dead ? INTERRUPTED : r.message,
    edits: r.edits,
    inserted: r.inserted,
    deleted: r.deleted,
    review: r.review as AgentRun['review'],
    createdAt: r.createdAt.toISOString(),
    finishedAt: dead ? new Date().toISOString() : (r.finishedAt?.toISOString() ?? null),
  }
}

export function createRunStore(db: Db): RunStore {
  const select = () => selectRuns(db)
  /** Records as failed the runs (of `ids`, or all) that dead processes left running; live ones are untouched. */
  const interrupt = async (ids?: string[]) => {
    const rows = await db
      .update(agentRuns)
      .set({ state: 'failed', message: INTERRUPTED, finishedAt: new Date() })
      .where(
        and(
          eq(agentRuns.state, 'running'),
          lt(agentRuns.aliveAt, stale()),
          ids ? inArray(agentRuns.id, ids) : undefined,
        ),
      )
      .returning({ id: agentRuns.id })
    return rows.length
  }
  const toRuns = async (rows: Row[]) => {
    const dead = rows.filter(died).map((r) => r.runId)
    if (dead.length > 0) await interrupt(dead)
    return rows.map(toRun)
  }
  return {
    async create(run) {
      await db.insert(agentRuns).values({ ...run, range: run.range ?? null })
    },
    async started(id) {
      await db
        .update(agentRuns)
        .set({ startedAt: new Date(), aliveAt: new Date() })
        .where(eq(agentRuns.id, id))
    },
    async heartbeat(ids) {
      if (ids.length === 0) return
      await db
        .update(agentRuns)
        .set({ aliveAt: new Date() })
        .where(and(inArray(agentRuns.id, ids), eq(agentRuns.state, 'running')))
    },
    async finish(id, o) {
      await db
        .update(agentRuns)
        .set({ ...o, finishedAt: new Date() })
        .where(eq(agentRuns.id, id))
    },
    async review(id, review, by) {
      await db
        .update(agentRuns)
        .set({ review, reviewedAt: new Date(), reviewedBy: by })
        .where(eq(agentRuns.id, id))
    },
    async get(id) {
      const rows = await select().where(eq(agentRuns.id, id))
      return (await toRuns(rows))[0] ?? null
    },
    async list(projectId, limit) {
      const rows = await select()
        .where(eq(agentRuns.projectId, projectId))
        .orderBy(desc(agentRuns.createdAt))
        .limit(limit)
      return toRuns(rows)
    },
    async runningOn(docName) {
      const rows = await db
        .select({ id: agentRuns.id })
        .from(agentRuns)
        .where(
          and(eq(agentRuns.docName, docName), eq(agentRuns.state, 'running'), gt(agentRuns.aliveAt, stale())),
        )
        .limit(1)
      return rows.length > 0
    },
    failInterrupted: () => interrupt(),
  }
}
