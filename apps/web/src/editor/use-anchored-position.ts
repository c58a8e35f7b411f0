import { useEffect, useState } from 'react'
import type { monaco } from './monaco-setup'

/** Pixels from the editor's top-left corner (the `.editor-host` box) to a text position. */
export interface AnchorPoint {
  top: number
  left: number
  /** The line height at that position, so overlays can sit above or below the line. */
  height: number
  /** Pixels from the editor's right edge to the right edge of the text area (minimap, scrollbar). */
  right: number
}

/**
 * Follows where a text position is on screen, for overlays drawn over the editor (the Ctrl/Cmd+K prompt, the
 * agent's run badges). React overlays instead of Monaco content widgets: inside a content widget every key
 * first reaches Monaco's own keybindings (Ctrl+Z would undo the file while typing a prompt). Null while the
 * position is scrolled out of view.
 */
export function useAnchoredPosition(
  editor: monaco.editor.IStandaloneCodeEditor | null,
  position: monaco.IPosition | null,
): AnchorPoint | null {
  const [point, setPoint] = useState<AnchorPoint | null>(null)
  const line = position?.lineNumber
  const column = position?.column
  useEffect(() => {
    if (!editor || line === undefined || column === undefined) {
      setPoint(null)
      return
    }
    const update = () => {
      const p = editor.getScrolledVisiblePosition({ lineNumber: line, column })
      const layout = editor.getLayoutInfo()
      const textRight = layout.minimap.minimapLeft || layout.width - layout.verticalScrollbarWidth
      const right = layout.width - textRight
      const visible = p && p.top >= 0 && p.top + p.height <= layout.height
      setPoint((prev) => {
        if (!visible) return null
        const same =
          prev?.top === p.top && prev.left === p.left && prev.height === p.height && prev.right === right
        return same ? prev : { ...p, right }
      })
    }
    update()
    const subs = [
      editor.onDidScrollChange(update),
      editor.onDidLayoutChange(update),
      editor.onDidChangeModelContent(update),
      editor.onDidChangeModel(update),
    ]
    return () => subs.forEach((s) => s.dispose())
  }, [editor, line, column])
  return point
}
