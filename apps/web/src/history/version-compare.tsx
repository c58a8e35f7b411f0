import { useEffect, useState } from 'react'
import { api } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { DiffEditor } from './diff-editor'
import { kindLabel, versionTitle, type Version } from './history-model'
import { shortTime } from '../comments/comments-model'

/** What is compared: a version (left) with the file now or with another version (right). */
export interface Comparison {
  versionId: string
  /** 'now' (the file as it is) or a version id. */
  against: string
}

export interface VersionCompareProps {
  comparison: Comparison
  versions: Version[]
  /**
   * Calls `listener` with the file's current text now and again as it changes (people typing meanwhile);
   * returns the function that stops.
   */
  watchNow: (listener: (text: string) => void) => () => void
  language: string
  canWrite: boolean
  onChange: (c: Comparison) => void
  /** Asks to restore the shown version (the caller confirms). */
  onRestore: (v: Version) => void
  onClose: () => void
}

/** Reads a version's text; versions never change, so each is read once per comparison. */
function useVersionText(versionId: string | null): { text: string | null; error: string | null } {
  const [state, setState] = useState<{ id: string | null; text: string | null; error: string | null }>({
    id: null,
    text: null,
    error: null,
  })
  useEffect(() => {
    if (!versionId) return
    let live = true
    api.history.get.query({ versionId }).then(
      (v) => live && setState({ id: versionId, text: v.content, error: null }),
      (e: unknown) => live && setState({ id: versionId, text: null, error: problemMessage(e) }),
    )
    return () => {
      live = false
    }
  }, [versionId])
  return state.id === versionId ? state : { text: null, error: null }
}

const label = (v: Version) => `${versionTitle(v)} · ${shortTime(v.createdAt)}`

/**
 * A version opened read-only over the editor, compared in Monaco's diff editor with the file now or with another
 * version; side by side or inline. Editors restore the version from here.
 */
export function VersionCompare(props: VersionCompareProps) {
  const { comparison, versions, onChange } = props
  const [sideBySide, setSideBySide] = useState(true)
  const version = versions.find((v) => v.id === comparison.versionId)
  const left = useVersionText(comparison.versionId)
  const right = useVersionText(comparison.against === 'now' ? null : comparison.against)
  const [now, setNow] = useState<string | null>(null)
  const { watchNow } = props
  const againstNow = comparison.against === 'now'
  useEffect(() => (againstNow ? watchNow(setNow) : undefined), [againstNow, watchNow])
  const rightText = comparison.against === 'now' ? now : right.text
  const error = left.error ?? right.error
  return (
    <div className="history-compare" role="dialog" aria-label="Compare versions">
      <div className="history-compare-bar">
        <strong title={version ? kindLabel(version) : undefined}>
          {version ? label(version) : 'Version'}
        </strong>
        <label>
          compared with{' '}
          <select
            aria-label="Compare with"
            value={comparison.against}
            onChange={(e) => onChange({ ...comparison, against: e.target.value })}
          >
            <option value="now">the file now</option>
            {versions
              .filter((v) => v.id !== comparison.versionId)
              .map((v) => (
                <option key={v.id} value={v.id}>
                  {label(v)}
                </option>
              ))}
          </select>
        </label>
        <button className="ghost" aria-pressed={!sideBySide} onClick={() => setSideBySide(!sideBySide)}>
          {sideBySide ? 'Inline' : 'Side by side'}
        </button>
        {props.canWrite && version && (
          <button onClick={() => props.onRestore(version)}>Restore this version</button>
        )}
        <button className="ghost icon" aria-label="Close comparison" onClick={props.onClose}>
          ×
        </button>
      </div>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {left.text !== null && rightText !== null ? (
        <DiffEditor
          original={left.text}
          modified={rightText}
          language={props.language}
          sideBySide={sideBySide}
        />
      ) : (
        !error && <p className="muted small">Loading the version…</p>
      )}
    </div>
  )
}
