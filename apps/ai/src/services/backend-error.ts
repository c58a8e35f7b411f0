/**
 * What went wrong talking to a model backend, normalized from each client's own errors so the gateway can
 * decide (fall back, open the circuit, tell the user what to start) without knowing which client failed.
 */
export const BackendFailure = {
  /** Connection refused, DNS, reset: the backend is not running or not reachable. */
  Unreachable: 'unreachable',
  /** No answer (or no next chunk) within the deadline. */
  Timeout: 'timeout',
  /** The backend answers but does not have the model (Ollama 404: `ollama pull` it). */
  MissingModel: 'missing-model',
  /** The backend is up but refuses work for now (Ollama 503 when its queue is full). */
  Overloaded: 'overloaded',
  /** The caller went away; not the backend's fault. */
  Aborted: 'aborted',
  /** Anything else the backend answered with. */
  Failed: 'failed',
} as const
export type BackendFailure = (typeof BackendFailure)[keyof typeof BackendFailure]

export class BackendError extends Error {
  override readonly name = 'BackendError'
  constructor(
    readonly backend: string,
    readonly failure: BackendFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }

  /** Whether this failure says the backend itself is unhealthy (counts against its circuit breaker). */
  get unhealthy(): boolean {
    return (
      this.failure === BackendFailure.Unreachable ||
      this.failure === BackendFailure.Timeout ||
      this.failure === BackendFailure.Failed
    )
  }
}
