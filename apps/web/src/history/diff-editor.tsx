import { useEffect, useRef } from 'react'
import { textEdits } from '@mimiverse/shared'
import { monaco } from '../editor/monaco-setup'

export interface DiffEditorProps {
  original: string
  modified: string
  /** Monaco language id of the file, for highlighting both sides. */
  language: string
  /** Side by side (true) or inline (false). */
  sideBySide: boolean
}

/**
 * Monaco's diff editor, read-only on both sides, over two texts it owns models for (never the live file's model:
 * the collaborative binding must not see the diff editor's views).
 */
export function DiffEditor({ original, modified, language, sideBySide }: DiffEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null)

  useEffect(() => {
    const diff = monaco.editor.createDiffEditor(host.current!, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      // A narrow editor would silently switch to inline; the toggle is the user's choice.
      useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false },
    })
    editor.current = diff
    return () => {
      const model = diff.getModel()
      diff.dispose()
      model?.original.dispose()
      model?.modified.dispose()
      editor.current = null
    }
  }, [])

  useEffect(() => {
    const diff = editor.current!
    const old = diff.getModel()
    if (old && old.original.getValue() === original && old.original.getLanguageId() === language) {
      // Only the right side moved (the file now, as people type): edit it in place, so the view keeps its
      // scroll position and folding instead of starting over.
      const model = old.modified
      const offsets = (i: number) => model.getPositionAt(i)
      const edits = textEdits(model.getValue(), modified).map((e) => {
        const from = offsets(e.index)
        const to = offsets(e.index + e.remove)
        return {
          range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column),
          text: e.insert,
        }
      })
      if (edits.length > 0) model.applyEdits(edits)
      return
    }
    diff.setModel({
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(modified, language),
    })
    old?.original.dispose()
    old?.modified.dispose()
  }, [original, modified, language])

  useEffect(() => {
    editor.current?.updateOptions({ renderSideBySide: sideBySide })
  }, [sideBySide])

  return <div className="history-diff-editor" ref={host} data-testid="history-diff" />
}
