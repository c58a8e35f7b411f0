/**
 * Wraps the body of a timer or event callback so that it can never throw: an exception there has no caller to
 * catch it (a timer's ends the process; a listener's breaks whatever emitted the event, such as a Yjs
 * transaction). What it threw goes to `onError`, which logs and counts it.
 */
export function neverThrow<A extends unknown[]>(
  callback: (...args: A) => void,
  onError: (error: unknown) => void,
): (...args: A) => void {
  return (...args) => {
    try {
      callback(...args)
    } catch (e: unknown) {
      try {
        onError(e)
      } catch {
        // Reporting failed too; the callback still must not throw.
      }
    }
  }
}
