import { useEffect } from 'react'

/**
 * Ctrl/Cmd+Shift+F opens the search panel and focuses its query box, anywhere on the page. Listened to in the
 * capture phase so the editor, which has focus most of the time, never takes the key first.
 */
export function useSearchShortcut(openSearch: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault()
        e.stopPropagation()
        openSearch()
      }
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [openSearch])
}
