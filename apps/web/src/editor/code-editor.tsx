import { memo, useMemo } from 'react'
import { Editor } from '@monaco-editor/react'
import { type monaco, THEME } from './monaco-setup'

export interface CodeEditorProps {
  readOnly: boolean
  onMount: (editor: monaco.editor.IStandaloneCodeEditor) => void
}

const options: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  fontFamily: "'JetBrains Mono', 'Fira Code', ui-monospace, Menlo, Consolas, monospace",
  fontSize: 13.5,
  lineHeight: 21,
  minimap: { enabled: true, renderCharacters: false },
  // Room above line 1 for the name label of a remote cursor there.
  padding: { top: 18 },
  renderWhitespace: 'selection',
  scrollBeyondLastLine: false,
  smoothScrolling: true,
  tabSize: 2,
  readOnlyMessage: { value: 'You are a reviewer in this project: the file is read-only.' },
}

/**
 * The one Monaco editor of the workspace. Models are ours (one per open file, see EditorBindings), so the
 * wrapper must never dispose the current model on unmount (`keepCurrentModel`). Memoized: the wrapper calls
 * `updateOptions` on every render, which the workspace must not trigger on every keystroke.
 */
export const CodeEditor = memo(function CodeEditor({ readOnly, onMount }: CodeEditorProps) {
  const editorOptions = useMemo(() => ({ ...options, readOnly }), [readOnly])
  return (
    <Editor
      theme={THEME}
      options={editorOptions}
      keepCurrentModel
      loading={<div className="editor-loading">Loading editor…</div>}
      onMount={(editor) => onMount(editor)}
    />
  )
})
