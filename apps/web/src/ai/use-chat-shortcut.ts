import { useEffect } from 'react'

/**
 * Ctrl/Cmd+L toggles the chat anywhere on the page. Listened to in the capture phase, before Monaco, whose own
 * Ctrl+L ("expand line selection") would otherwise take the key while the editor has focus.
 */
export function useChatShortcut(toggle: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault()
        e.stopPropagation()
        toggle()
      }
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [toggle])
}
