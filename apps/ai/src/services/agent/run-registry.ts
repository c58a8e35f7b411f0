import { AppError, canWrite, ErrorCode } from '@mimiverse/shared'
import type { Workspace } from '../workspace'

/** What the registry needs of a run this process works on or keeps for Undo. */
export interface RegisteredRun {
  runId: string
  abort: AbortController
  done: Promise<void>
  /** Null while it works. */
  finishedAt: number | null
}

/**
 * The runs of one kind this process holds: those working, and finished ones kept (with their documents) for a
 * later Undo, at most `keep` of them for at most `keepMs` (swept every minute and at each finish).
 */
export class RunRegistry<R extends RegisteredRun> {
  private readonly runs = new Map<string, R>()
  private readonly sweep: NodeJS.Timeout

  constructor(private readonly o: { keep: number; keepMs: number; forget: (run: R) => void }) {
    this.sweep = setInterval(() => this.evict(), 60_000)
    this.sweep.unref()
  }

  add(run: R): void {
    this.runs.set(run.runId, run)
  }

  get(runId: string): R | undefined {
    return this.runs.get(runId)
  }

  all(): R[] {
    return [...this.runs.values()]
  }

  working(): R[] {
    return this.all().filter((r) => r.finishedAt === null)
  }

  /** Records the end of a run and drops the oldest kept ones past the limits. */
  finished(run: R): void {
    run.finishedAt = Date.now()
    this.evict()
  }

  forget(run: R): void {
    this.runs.delete(run.runId)
    this.o.forget(run)
  }

  /** Stops the working runs, waits for them, and drops everything. */
  async close(): Promise<void> {
    clearInterval(this.sweep)
    const working = this.working()
    for (const r of working) r.abort.abort()
    await Promise.all(working.map((r) => r.done))
    for (const r of this.all()) this.forget(r)
  }

  private evict(): void {
    const now = Date.now()
    const finished = this.all()
      .filter((r) => r.finishedAt !== null)
      .sort((a, b) => a.finishedAt! - b.finishedAt!)
    finished.forEach((r, i) => {
      if (i < finished.length - this.o.keep || now - r.finishedAt! > this.o.keepMs) this.forget(r)
    })
  }
}

/** The caller's role in the project; FORBIDDEN for non-members and, saying for what, for reviewers. */
export async function requireWriter(
  workspace: Workspace,
  user: { id: string },
  projectId: string,
  what: string,
): Promise<void> {
  const role = await workspace.requireMember(user.id, projectId)
  if (!canWrite(role)) throw new AppError(ErrorCode.Forbidden, `Reviewers cannot ${what}`)
}
