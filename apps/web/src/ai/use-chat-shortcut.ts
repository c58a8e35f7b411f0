import { useGlobalShortcut } from '../ui/use-global-shortcut'

/**
 * Ctrl/Cmd+L toggles the chat anywhere on the page, also while the editor has focus (Monaco's own Ctrl+L,
 * "expand line selection", gives way).
 */
export function useChatShortcut(toggle: () => void): void {
  useGlobalShortcut({ key: 'l', shift: false }, toggle)
}
