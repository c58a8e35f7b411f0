import { shortTime } from '../comments/comments-model'
import { kindLabel, versionAuthor, versionTitle, type Version } from './history-model'
import { RollbackForm } from './rollback-form'
import type { FileHistory } from './use-history'

export interface HistoryPanelProps {
  open: boolean
  path: string | null
  history: FileHistory
  canWrite: boolean
  /** The version whose comparison is shown, highlighted in the timeline. */
  selected: string | null
  onSelect: (v: Version) => void
  onName: () => void
  onRestore: (v: Version) => void
  /** Whether blame is shown in the editor, and its toggle. */
  blame: boolean
  onToggleBlame: () => void
}

/**
 * The History view of the sidebar: the shown file's timeline, newest first. Everyone opens and compares
 * versions; editors also name a version, restore one and undo an author's edits.
 */
export function HistoryPanel(props: HistoryPanelProps) {
  const { history, canWrite } = props
  return (
    <section className="history-panel" aria-label="History" hidden={!props.open}>
      <div className="sidebar-heading-row">
        <h3 className="sidebar-heading">{props.path ? `History of ${props.path}` : 'History'}</h3>
        {canWrite && props.path && (
          <button className="ghost" onClick={props.onName}>
            Name a version…
          </button>
        )}
      </div>
      {props.path && (
        <button className="ghost" aria-pressed={props.blame} onClick={props.onToggleBlame}>
          {props.blame ? 'Hide blame' : 'Show blame'}
        </button>
      )}
      {!props.path && <p className="muted small">Open a file to see its history.</p>}
      {history.error && (
        <p className="form-error small" role="alert">
          {history.error}
        </p>
      )}
      {props.path && history.versions === null && !history.error && <p className="muted small">Loading…</p>}
      {history.versions?.length === 0 && <p className="muted small">No versions yet.</p>}
      <ol className="history-timeline">
        {history.versions?.map((v) => (
          <li key={v.id} className={v.id === props.selected ? 'history-version selected' : 'history-version'}>
            <button
              className="history-version-open"
              onClick={() => props.onSelect(v)}
              title="Compare with now"
            >
              <span className={`history-kind kind-${v.kind}`}>{kindLabel(v)}</span>
              <span className="history-version-title">{versionTitle(v)}</span>
              <span className="muted small">
                {versionAuthor(v) ?? 'automatic'} · {shortTime(v.createdAt)}
              </span>
            </button>
            {canWrite && (
              <button className="ghost small" onClick={() => props.onRestore(v)}>
                Restore
              </button>
            )}
          </li>
        ))}
      </ol>
      {canWrite && props.path && <RollbackForm history={history} />}
    </section>
  )
}
