import { useEffect, useState } from 'react'
import type { monaco } from '../editor/monaco-setup'

/**
 * Vim key bindings on `editor` while `enabled`, with monaco-vim's mode line ("-- INSERT --", pending keys,
 * `:` commands) in `statusNode`. monaco-vim is loaded on first use, so people without Vim never download it.
 * Returns a load failure's message, or null.
 */
export function useVimMode(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  statusNode: HTMLElement | null,
  enabled: boolean,
): string | null {
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!editor || !statusNode || !enabled) return
    let vim: { dispose: () => void } | null = null
    let current = true
    import('monaco-vim').then(
      ({ initVimMode }) => {
        if (current) vim = initVimMode(editor, statusNode)
      },
      (e: unknown) => current && setError(`Vim mode could not load: ${String(e)}`),
    )
    return () => {
      current = false
      vim?.dispose()
      statusNode.textContent = ''
    }
  }, [editor, statusNode, enabled])
  return error
}
