import { useCallback, useEffect, useRef, useState } from 'react'
import { DiffEditor } from '@monaco-editor/react'
import { problemMessage } from '../api/errors'
import type { monaco } from '../editor/monaco-setup'
import { useSettings } from '../settings/settings-context'
import { monacoThemes } from '../settings/editor-options'
import { Dialog } from '../ui/dialog'
import { runnerApi, type GitDiff } from './git-client'

/**
 * One file's diff in Monaco's diff editor (side by side or inline): the working tree against the index, or the
 * index against HEAD (`staged`), with each hunk stageable (or unstageable) on its own.
 */
export function DiffDialog(props: {
  projectId: string
  path: string
  staged: boolean
  canWrite: boolean
  run: (action: () => Promise<unknown>) => Promise<boolean>
  onClose: () => void
}) {
  const { projectId, path, staged, run } = props
  const [diff, setDiff] = useState<GitDiff | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [inline, setInline] = useState(false)
  // Monaco's theme is global: the diff editor must set the same one as the main editor.
  const theme = monacoThemes[useSettings().settings.theme]
  const load = useCallback(() => {
    runnerApi.git.diff
      .query({ projectId, path, staged })
      .then(setDiff, (e: unknown) => setError(problemMessage(e)))
  }, [projectId, path, staged])
  useEffect(load, [load])
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null)
  // @monaco-editor/react disposes the models before the diff editor lets go of them, which Monaco reports as an
  // error (suren-atoyan/monaco-react#647); it keeps them (`keepCurrent…Model`) and they are released here.
  useEffect(
    () => () => {
      const diffEditor = editor.current
      const models = diffEditor?.getModel()
      diffEditor?.setModel(null)
      models?.original.dispose()
      models?.modified.dispose()
    },
    [],
  )

  const hunkAction = async (header: string) => {
    const input = { projectId, hunks: [{ path, header }] }
    await run(() => (staged ? runnerApi.git.unstage.mutate(input) : runnerApi.git.stage.mutate(input)))
    load()
  }

  return (
    <Dialog title={`${path} (${staged ? 'staged' : 'working tree'})`} onClose={props.onClose}>
      <div className="diff-toolbar">
        <button className="ghost small" onClick={() => setInline((v) => !v)}>
          {inline ? 'Side by side' : 'Inline'}
        </button>
      </div>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {diff?.binary && <p className="muted small">Binary file: no text diff.</p>}
      {diff && !diff.binary && (
        <div className="diff-editor">
          <DiffEditor
            original={diff.original}
            modified={diff.modified}
            theme={theme}
            keepCurrentOriginalModel
            keepCurrentModifiedModel
            onMount={(e) => (editor.current = e)}
            options={{
              readOnly: true,
              renderSideBySide: !inline,
              automaticLayout: true,
              minimap: { enabled: false },
            }}
          />
        </div>
      )}
      {diff && diff.hunks.length > 0 && (
        <ul className="diff-hunks" aria-label="Hunks">
          {diff.hunks.map((h) => (
            <li key={h.header}>
              <code>{h.header}</code>
              {props.canWrite && (
                <button className="ghost small" onClick={() => void hunkAction(h.header)}>
                  {staged ? 'Unstage hunk' : 'Stage hunk'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  )
}
