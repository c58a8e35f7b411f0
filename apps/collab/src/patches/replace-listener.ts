/** Something with lib0's `on`/`off` (a Y.Doc, an Awareness): listeners are kept per event in `_observers`. */
interface Observable {
  on(event: string, listener: (...args: never[]) => void): unknown
  off(event: string, listener: (...args: never[]) => void): unknown
}

/**
 * Replaces one of Hocuspocus' own listeners, found by the name `bind` gave it (`bound handleUpdate`), with ours.
 * Hocuspocus 3.4.4 has no option for what we change; if a version renames the listener, nothing is replaced
 * and the caller is told (false), so it can say so. Reads lib0's private `_observers` (see README.md here).
 */
export function replaceListener(
  target: Observable,
  event: string,
  boundName: string,
  replacement: (...args: never[]) => void,
): boolean {
  const original = listenersOf(target, event).find((f) => f.name === boundName)
  if (!original) return false
  target.off(event, original)
  target.on(event, replacement)
  return true
}

/** The listeners lib0 keeps for `event` on `target`, in the order they were added. */
export function listenersOf(target: Observable, event: string): ((...args: never[]) => void)[] {
  const observers = (target as unknown as { _observers?: Map<string, Set<(...args: never[]) => void>> })
    ._observers
  return [...(observers?.get(event) ?? [])]
}
