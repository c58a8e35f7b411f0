import type { Logger } from './logger'

/** The part of `process` that `closeOnSignals` uses; tests pass a double. */
export interface SignalTarget {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown
  exit(code: number): void
}

/**
 * Graceful shutdown on SIGTERM (an orchestrator stopping the container) and SIGINT (Ctrl-C): logs the signal,
 * runs `close` once (a second signal while closing is ignored, so an impatient Ctrl-C cannot cut a flush
 * short), then exits 0, or logs the failure and exits 1.
 */
export function closeOnSignals(
  log: Logger,
  close: () => Promise<void>,
  target: SignalTarget = process,
): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    close()
      .then(() => target.exit(0))
      .catch((e: unknown) => {
        log.error('shutdown failed', { error: e })
        target.exit(1)
      })
  }
  target.on('SIGTERM', () => stop('SIGTERM'))
  target.on('SIGINT', () => stop('SIGINT'))
}
