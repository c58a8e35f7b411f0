import { AppError } from '@mimiverse/shared'
import type { AiMetrics } from '../../metrics'
import type { LiveTask } from './live-task'
import type { TaskStore } from './task-store'
import { ToolError, type ToolContext } from './tool-context'
import type { ToolOutcome } from './tools'

/** A task run whose tool calls come from an outside agent; `end` finishes it (its edits stay for review). */
export interface ExternalRun {
  runId: string
  /** Runs one tool call as a step of the run (shown to everyone); failures come back as text, not throws. */
  call(tool: string, args: unknown, work: (ctx: ToolContext) => Promise<string>): Promise<ToolOutcome>
  end(message: string): Promise<void>
}

let externalCalls = 0

/** The outside agent's side of a run: each call is a step, and the end finishes the run like the loop does. */
export function externalRun(
  l: LiveTask,
  ctx: ToolContext,
  deps: { store: TaskStore; metrics: AiMetrics; finished: () => void },
): ExternalRun {
  let steps = 0
  let ending: Promise<void> | null = null
  return {
    runId: l.runId,
    async call(tool, args, work) {
      if (ending) return { ok: false, text: 'Error: the session has ended' }
      const stepId = `m${++externalCalls}`
      l.emit({ type: 'step', stepId, data: { tool, args: clip(JSON.stringify(args ?? {}), 400) } })
      const started = performance.now()
      const external = ctx.externalMs()
      let out: ToolOutcome
      try {
        out = { ok: true, text: await work({ ...ctx, stepId }) }
      } catch (e: unknown) {
        const message =
          e instanceof ToolError || e instanceof AppError ? e.message : 'the tool failed unexpectedly'
        out = { ok: false, text: `Error: ${message}` }
      }
      deps.metrics.agentToolSeconds.observe(
        { tool },
        (performance.now() - started - (ctx.externalMs() - external)) / 1000,
      )
      deps.store.progress(l.runId, { steps: ++steps, tokens: 0 }).catch(() => {})
      l.emit({ type: 'result', stepId, data: { ok: out.ok, summary: clip(out.text, 400) } })
      return out
    },
    end(message) {
      if (ending) return ending
      // Deferred, so `ending` is set before the abort below calls back here.
      ending = Promise.resolve().then(async () => {
        l.abort.abort()
        await l.files.finish()
        for (const f of l.files.changed()) ctx.onFileChanged(f)
        l.emit({ type: 'end', stepId: null, data: { state: 'done', message } })
        await l.flushed()
        await deps.store.finish(l.runId, { state: 'done', message, steps, tokens: 0 })
        deps.metrics.agentRuns.inc({ state: 'done' })
        deps.finished()
      })
      l.done = ending
      return ending
    },
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}
