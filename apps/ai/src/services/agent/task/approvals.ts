import { ApprovalDecision } from '../../../contracts/agent'

/**
 * Steps waiting for an editor's decision (a command to run, a file to delete). The run awaits `wait`; an
 * editor's `agent.approve` calls `decide`; a cancel rejects the wait with the run's abort reason. In memory:
 * only the process running the run can resume it, and a run whose process died is interrupted anyway.
 */
export class Approvals {
  private readonly pending = new Map<string, (d: ApprovalDecision) => void>()

  wait(runId: string, stepId: string, signal: AbortSignal): Promise<ApprovalDecision> {
    const key = `${runId}/${stepId}`
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(key)
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'))
      }
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      this.pending.set(key, (d) => {
        signal.removeEventListener('abort', onAbort)
        this.pending.delete(key)
        resolve(d)
      })
    })
  }

  waiting(runId: string, stepId: string): boolean {
    return this.pending.has(`${runId}/${stepId}`)
  }

  /** False when nothing waits under that step (decided already, or not a step needing approval). */
  decide(runId: string, stepId: string, decision: ApprovalDecision): boolean {
    const resolve = this.pending.get(`${runId}/${stepId}`)
    resolve?.(decision)
    return resolve !== undefined
  }
}

export { ApprovalDecision }
