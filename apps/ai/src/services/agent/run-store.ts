import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { agentRuns, users } from '@mimiverse/db/schema'
import type { AgentRun, AgentRunState } from '../../contracts/agent'

/** The `agent_runs` table: every run is recorded (who asked, what, where, how it ended, how it was reviewed). */
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
  finish(id: string, outcome: Outcome): Promise<void>
  review(id: string, review: 'accepted' | 'undone', by: string): Promise<void>
  get(id: string): Promise<AgentRun | null>
  list(projectId: string, limit: number): Promise<AgentRun[]>
  /** Whether a run is still recorded as running on this document. */
  runningOn(docName: string): Promise<boolean>
  /** Marks runs a dead process left `running` as failed; returns how many. */
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
  finishedAt: agentRuns.finishedAt,
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRuns>['execute']>>[number]

const selectRuns = (db: Db) =>
  db.select(columns).from(agentRuns).innerJoin(users, eq(users.id, agentRuns.requesterId))

function toRun(r: Row): AgentRun {
  return {
    runId: r.runId,
    kind: 'edit',
    projectId: r.projectId,
    docName: r.docName,
    path: r.path,
    instruction: r.instruction,
    requester: { id: r.requesterId, name: r.requesterName },
    state: r.state as AgentRunState,
    message: r.message,
    edits: r.edits,
    inserted: r.inserted,
    deleted: r.deleted,
    review: r.review as AgentRun['review'],
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }
}

export function createRunStore(db: Db): RunStore {
  const select = () => selectRuns(db)
  return {
    async create(run) {
      await db.insert(agentRuns).values({ ...run, range: run.range ?? null })
    },
    async started(id) {
      await db.update(agentRuns).set({ startedAt: new Date() }).where(eq(agentRuns.id, id))
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
      const [row] = await select().where(eq(agentRuns.id, id))
      return row ? toRun(row) : null
    },
    async list(projectId, limit) {
      const rows = await select()
        .where(eq(agentRuns.projectId, projectId))
        .orderBy(desc(agentRuns.createdAt))
        .limit(limit)
      return rows.map(toRun)
    },
    async runningOn(docName) {
      const rows = await db
        .select({ id: agentRuns.id })
        .from(agentRuns)
        .where(and(eq(agentRuns.docName, docName), eq(agentRuns.state, 'running')))
        .limit(1)
      return rows.length > 0
    },
    async failInterrupted() {
      const rows = await db
        .update(agentRuns)
        .set({
          state: 'failed',
          message: 'interrupted by a restart of the AI service',
          finishedAt: new Date(),
        })
        .where(eq(agentRuns.state, 'running'))
        .returning({ id: agentRuns.id })
      return rows.length
    },
  }
}
