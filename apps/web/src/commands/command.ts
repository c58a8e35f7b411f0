/**
 * One IDE action, as the command palette lists it. Every action the IDE offers is registered here once (see
 * use-workspace-commands.ts), so the palette, its shortcut labels and the buttons cannot drift apart.
 */
export interface Command {
  /** Stable id, e.g. `file.new`; also the palette's React key. */
  id: string
  /** What the palette shows and matches, e.g. "New file…". */
  title: string
  /** Where it comes from ("File", "View", "Editor"…), shown before the title. */
  category: string
  /** The keyboard shortcut as shown, e.g. "Ctrl+Shift+F" (Cmd on macOS). */
  shortcut?: string
  run: () => void
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** "Ctrl+Shift+F" on Linux and Windows, "⌘⇧F" on macOS. */
export function shortcutLabel(key: string, opts: { shift?: boolean; ctrl?: boolean } = {}): string {
  const { shift = false, ctrl = true } = opts
  if (isMac) return `${ctrl ? '⌘' : ''}${shift ? '⇧' : ''}${key.toUpperCase()}`
  return [ctrl && 'Ctrl', shift && 'Shift', key.length === 1 ? key.toUpperCase() : key]
    .filter(Boolean)
    .join('+')
}
