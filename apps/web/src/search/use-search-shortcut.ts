import { useGlobalShortcut } from '../ui/use-global-shortcut'

/** Ctrl/Cmd+Shift+F opens the search panel and focuses its query box, anywhere on the page. */
export function useSearchShortcut(openSearch: () => void): void {
  useGlobalShortcut({ key: 'f', shift: true }, openSearch)
}
