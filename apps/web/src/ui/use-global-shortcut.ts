import { useEffect, useRef } from 'react'

/** Ctrl (Cmd on macOS) plus `key`, with or without Shift; never with Alt. */
export interface Shortcut {
  key: string
  shift: boolean
}

/**
 * Calls `handle` when the shortcut is pressed anywhere on the page, and keeps the key from everyone else unless
 * `handle` returns false (the shortcut does not apply now). Listened to in the capture phase: the editor has
 * focus most of the time, and Monaco binds many Ctrl keys of its own that would otherwise take the key first.
 */
export function useGlobalShortcut(
  { key, shift }: Shortcut,
  handle: () => boolean | void,
  enabled = true,
): void {
  const handleRef = useRef(handle)
  handleRef.current = handle
  useEffect(() => {
    if (!enabled) return
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey !== shift || e.altKey || e.key.toLowerCase() !== key) return
      if (handleRef.current() === false) return
      e.preventDefault()
      e.stopPropagation()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [key, shift, enabled])
}
