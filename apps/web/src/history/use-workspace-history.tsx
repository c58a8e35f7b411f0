import { useCallback, useEffect, useState, type ReactNode } from 'react'
import type { FileBinding } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import { shortTime } from '../comments/comments-model'
import { ConfirmDialog } from '../ui/confirm-dialog'
import { NameDialog } from '../ui/name-dialog'
import { HistoryPanel } from './history-panel'
import { closestVersion, versionTitle, type Version } from './history-model'
import { useBlame } from './use-blame'
import { useFileHistory } from './use-history'
import { VersionCompare, type Comparison } from './version-compare'

export interface WorkspaceHistoryOptions {
  projectId: string
  canWrite: boolean
  editor: monaco.editor.IStandaloneCodeEditor | null
  /** The shown file's binding and path. */
  binding: FileBinding | undefined
  path: string | null
  /** Whether the History view is shown in the sidebar. */
  open: boolean
  /** Shows the History view (a click on a blame label). */
  showHistory: () => void
}

/** How often a comparison with the file now follows typing, at most. */
const NOW_REFRESH_MS = 300

/**
 * Everything file history adds to the workspace: the History view of the sidebar, the comparison over the
 * editor, blame in the editor, and the dialogs (name a version, confirm a restore); `toggleBlame` for the
 * command palette.
 */
export function useWorkspaceHistory(o: WorkspaceHistoryOptions): {
  panel: ReactNode
  overlay: ReactNode
  dialogs: ReactNode
  blame: boolean
  toggleBlame: () => void
} {
  const { binding, path, showHistory } = o
  const [comparison, setComparison] = useState<Comparison | null>(null)
  const [focusAt, setFocusAt] = useState<string | null>(null)
  const [naming, setNaming] = useState(false)
  const [restoring, setRestoring] = useState<Version | null>(null)
  const [blame, setBlame] = useState(false)
  const history = useFileHistory(o.projectId, path, o.open || comparison !== null || focusAt !== null)

  useEffect(() => setComparison(null), [path])
  // A blame click asked for a time: once the versions are read, compare the closest one with now.
  useEffect(() => {
    if (!focusAt || !history.versions) return
    const v = closestVersion(history.versions, focusAt)
    if (v) setComparison({ versionId: v.id, against: 'now' })
    setFocusAt(null)
  }, [focusAt, history.versions])

  const openAt = useCallback(
    (at: string) => {
      showHistory()
      setFocusAt(at)
    },
    [showHistory],
  )
  useBlame({ editor: o.editor, binding, projectId: o.projectId, path, enabled: blame, onOpenAt: openAt })
  const toggleBlame = useCallback(() => setBlame((b) => !b), [])
  const watchNow = useCallback(
    (listener: (text: string) => void) => {
      if (!binding) {
        listener('')
        return () => {}
      }
      const { model } = binding
      listener(model.getValue())
      // At most one read per interval while people type: the diff is computed again for each.
      let timer: ReturnType<typeof setTimeout> | undefined
      const changes = model.onDidChangeContent(() => {
        timer ??= setTimeout(() => {
          timer = undefined
          listener(model.getValue())
        }, NOW_REFRESH_MS)
      })
      return () => {
        changes.dispose()
        clearTimeout(timer)
      }
    },
    [binding],
  )

  const panel = (
    <HistoryPanel
      open={o.open}
      path={path}
      history={history}
      canWrite={o.canWrite}
      selected={comparison?.versionId ?? null}
      onSelect={(v) => setComparison({ versionId: v.id, against: 'now' })}
      onName={() => setNaming(true)}
      onRestore={setRestoring}
      blame={blame}
      onToggleBlame={toggleBlame}
    />
  )
  const overlay =
    comparison && history.versions && binding ? (
      <VersionCompare
        comparison={comparison}
        versions={history.versions}
        watchNow={watchNow}
        language={binding.model.getLanguageId()}
        canWrite={o.canWrite}
        onChange={setComparison}
        onRestore={setRestoring}
        onClose={() => setComparison(null)}
      />
    ) : null
  const dialogs = (
    <>
      {naming && (
        <NameDialog
          title="Name a version"
          label="Name"
          initial=""
          submitLabel="Name version"
          validate={(v) => (v.trim() ? null : 'Give the version a name.')}
          onSubmit={history.name}
          onClose={() => setNaming(false)}
        />
      )}
      {restoring && (
        <ConfirmDialog
          title="Restore this version"
          message={`Bring ${path ?? 'the file'} back to “${versionTitle(restoring)}” (${shortTime(restoring.createdAt)}) for everyone? It is an edit like any other: the current state is kept as a version.`}
          confirmLabel="Restore"
          onConfirm={async () => {
            await history.restore(restoring.id)
            setComparison(null)
          }}
          onClose={() => setRestoring(null)}
        />
      )}
    </>
  )
  return { panel, overlay, dialogs, blame, toggleBlame }
}
