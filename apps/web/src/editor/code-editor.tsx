import { memo, useMemo, useState } from 'react'
import { Editor } from '@monaco-editor/react'
import type { monaco } from './monaco-setup'
import { useSettings } from '../settings/settings-context'
import { editorOptionsOf, monacoThemes } from '../settings/editor-options'
import { useVimMode } from '../settings/use-vim-mode'

export interface CodeEditorProps {
  readOnly: boolean
  onMount: (editor: monaco.editor.IStandaloneCodeEditor) => void
}

const options: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  fontFamily: "'JetBrains Mono', 'Fira Code', ui-monospace, Menlo, Consolas, monospace",
  // Room above line 1 for the name label of a remote cursor there.
  padding: { top: 18 },
  // The gutter marks of review comments.
  glyphMargin: true,
  scrollBeyondLastLine: false,
  smoothScrolling: true,
  readOnlyMessage: { value: 'You are a reviewer in this project: the file is read-only.' },
}

/**
 * The one Monaco editor of the workspace, with the user's settings applied as they change (theme, font, tabs,
 * wrapping, minimap, white space, Vim with its mode line underneath). Models are ours (one per open file, see
 * EditorBindings), so the wrapper must never dispose the current model on unmount (`keepCurrentModel`).
 * Memoized: the wrapper calls `updateOptions` whenever its options change, which must not be every keystroke.
 */
export const CodeEditor = memo(function CodeEditor({ readOnly, onMount }: CodeEditorProps) {
  const { settings } = useSettings()
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null)
  const [vimStatus, setVimStatus] = useState<HTMLDivElement | null>(null)
  const vimError = useVimMode(editor, vimStatus, settings.vim)
  const editorOptions = useMemo(
    () => ({ ...options, ...editorOptionsOf(settings), readOnly }),
    [settings, readOnly],
  )
  return (
    <div className="code-editor">
      <div className="code-editor-monaco">
        <Editor
          theme={monacoThemes[settings.theme]}
          options={editorOptions}
          keepCurrentModel
          loading={<div className="editor-loading">Loading editor…</div>}
          onMount={(e) => {
            setEditor(e)
            onMount(e)
          }}
        />
      </div>
      {settings.vim && (
        <div className="vim-status-line" data-testid="vim-status">
          <div ref={setVimStatus} />
          {vimError}
        </div>
      )}
    </div>
  )
})
