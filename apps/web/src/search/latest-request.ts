/**
 * Keeps only the newest of overlapping requests: starting one aborts the one before, and a response that
 * arrives after a newer request started is reported as stale, so slow answers never overwrite newer ones.
 */
export type Outcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'stale' }

export class LatestRequest {
  private seq = 0
  private controller: AbortController | null = null

  async run<T>(call: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
    const id = this.cancel()
    const controller = new AbortController()
    this.controller = controller
    try {
      const value = await call(controller.signal)
      return id === this.seq ? { kind: 'done', value } : { kind: 'stale' }
    } catch (error: unknown) {
      return id === this.seq ? { kind: 'failed', error } : { kind: 'stale' }
    }
  }

  /** Aborts the request in flight (its outcome becomes stale); returns the next request's number. */
  cancel(): number {
    this.controller?.abort()
    this.controller = null
    return ++this.seq
  }
}
