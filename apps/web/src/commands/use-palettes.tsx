import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { FileEntry } from '../api/trpc'
import type { monaco } from '../editor/monaco-setup'
import { useGlobalShortcut } from '../ui/use-global-shortcut'
import type { Command } from './command'
import { Palette, type PaletteItem } from './palette'
import { recentFirst, useRecentFiles } from './recent-files'

type Mode = 'files' | 'commands'

export interface PalettesOptions {
  projectId: string
  files: FileEntry[] | null
  /** The shown file's document, for the recent list. */
  active: string | null
  commands: Command[]
  editor: monaco.editor.IStandaloneCodeEditor | null
  openFile: (docName: string) => void
}

interface FileItem extends PaletteItem {
  docName: string
}
interface CommandItem extends PaletteItem {
  run: () => void
}

/**
 * Quick open (Ctrl/Cmd+P: the project's files, recently shown first) and the command palette
 * (Ctrl/Cmd+Shift+P or F1: every IDE command, then Monaco's own editor actions). Taken before Monaco, which
 * binds F1 to its own palette, and before the browser's print dialog.
 */
export function usePalettes(opts: PalettesOptions) {
  const { projectId, files, active, commands, editor, openFile } = opts
  const [mode, setMode] = useState<Mode | null>(null)
  const recent = useRecentFiles(projectId, active)
  const openFiles = useCallback(() => setMode('files'), [])
  const openCommands = useCallback(() => setMode('commands'), [])
  useGlobalShortcut({ key: 'p', shift: false }, openFiles)
  useGlobalShortcut({ key: 'p', shift: true }, openCommands)
  useF1(openCommands)

  const fileItems = useMemo<FileItem[]>(
    () =>
      mode === 'files'
        ? recentFirst(files ?? [], recent).map((f) => ({ key: f.docName, label: f.path, docName: f.docName }))
        : [],
    [mode, files, recent],
  )
  const commandItems = useMemo<CommandItem[]>(
    () => (mode === 'commands' ? [...commands.map(commandItem), ...editorItems(editor)] : []),
    [mode, commands, editor],
  )
  const close = () => setMode(null)

  let element: ReactNode = null
  if (mode === 'files')
    element = (
      <Palette
        title="Go to file"
        placeholder="Type a file name (fuzzy)"
        items={fileItems}
        onClose={close}
        onPick={(item) => openFile(item.docName)}
      />
    )
  else if (mode === 'commands')
    element = (
      <Palette
        title="Command palette"
        placeholder="Type a command"
        items={commandItems}
        onClose={close}
        onPick={(item) => item.run()}
      />
    )
  return { element, openFiles, openCommands }
}

function commandItem(c: Command): CommandItem {
  return { key: c.id, label: c.title, prefix: c.category, hint: c.shortcut, run: c.run }
}

/** Monaco's actions for the shown model (format, comment, fold, transform…), run with the editor focused. */
function editorItems(editor: monaco.editor.IStandaloneCodeEditor | null): CommandItem[] {
  if (!editor?.getModel()) return []
  return editor
    .getSupportedActions()
    .filter((a) => a.label)
    .map((a) => ({
      key: `monaco:${a.id}`,
      label: a.label,
      prefix: 'Editor',
      run: () => {
        editor.focus()
        void a.run()
      },
    }))
}

/** F1 opens the command palette anywhere (Monaco would open its own). */
function useF1(open: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'F1' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return
      e.preventDefault()
      e.stopPropagation()
      open()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [open])
}
