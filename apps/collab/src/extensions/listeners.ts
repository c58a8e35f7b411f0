/** Something with lib0's `on`/`off` (a Y.Doc, an Awareness): listeners are kept per event in `_observers`. */
interface Observable {
  on(event: string, listener: (...args: never[]) => void): unknown
  off(event: string, listener: (...args: never[]) => void): unknown
}

/**
 * Replaces one of Hocuspocus' own listeners, found by the name `bind` gave it (`bound handleUpdate`), with ours.
 * Hocuspocus 3.4.4 has no option for what we change; if a version renames the listener, nothing is replaced
 * and the caller is told (false), so it can say so.
 */
export function replaceListener(
  target: Observable,
  event: string,
  boundName: string,
  replacement: (...args: never[]) => void,
): boolean {
  const observers = (target as unknown as { _observers?: Map<string, Set<(...args: never[]) => void>> })
    ._observers
  const original = [...(observers?.get(event) ?? [])].find((f) => f.name === boundName)
  if (!original) return false
  target.off(event, original)
  target.on(event, replacement)
  return true
}

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
