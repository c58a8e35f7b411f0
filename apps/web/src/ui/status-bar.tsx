import type { ConnectionSnapshot } from '../collab/connection'

export interface StatusBarProps {
  connection: ConnectionSnapshot
  readOnly: boolean
  /** Whether any file is open (there is nothing to save otherwise). */
  hasOpenFiles: boolean
  cursor: { line: number; column: number } | null
  language: string | null
  following: string | null
  /** Files waiting to be indexed for search (known while the search panel is open); null when unknown. */
  indexingPending?: number | null
  /** Why inline completion is off (no completion model, or the AI service unreachable); null when it is on. */
  aiProblem?: string | null
  /** Errors and warnings of the project's TS/JS files; the item opens the Problems panel. */
  problems?: { errors: number; warnings: number; onShow: () => void }
}

const statusLabel = {
  idle: 'Ready',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
} as const

/**
 * "Saved" is shown only when the server has acknowledged every local edit of every open file; a reviewer
 * never writes, so their bar says "Read-only" rather than pretending anything was saved.
 */
export function saveLabel({ connection, readOnly, hasOpenFiles }: StatusBarProps): string {
  if (readOnly) return 'Read-only'
  if (!hasOpenFiles) return ''
  if (connection.unsynced === 0 && connection.synced && connection.status === 'connected') return 'Saved'
  if (connection.status !== 'connected') return offlineLabel(connection)
  return 'Saving…'
}

/**
 * Not connected: whether the edits the server has not acknowledged are kept on this device (IndexedDB, which
 * survives a reload), still being written there, or kept only by this page.
 */
function offlineLabel({ unsynced, localCopies, keeping, fromLocalCopy }: ConnectionSnapshot): string {
  const edits = `${unsynced} ${unsynced === 1 ? 'edit' : 'edits'}`
  if (unsynced > 0 && !localCopies) return 'Unsaved changes — kept until reconnected'
  if (unsynced > 0 && keeping) return `Offline: keeping ${edits} on this device…`
  if (unsynced > 0) return `Offline: ${edits} kept on this device`
  if (fromLocalCopy) return 'Offline: showing the copy kept on this device'
  return 'Not connected'
}

/** "Indexing 3 files…" while the search index is behind, else nothing. */
export function indexingLabel(pending: number | null | undefined): string | null {
  if (!pending || pending <= 0) return null
  return `Indexing ${pending} ${pending === 1 ? 'file' : 'files'}…`
}

export function StatusBar(props: StatusBarProps) {
  const { connection, cursor, language, following } = props
  const indexing = indexingLabel(props.indexingPending)
  return (
    <footer className={`status-bar status-${connection.status}`}>
      <span
        className="status-item"
        data-testid="connection-status"
        title={`Collaboration socket ${connection.socketOpen ? 'open' : 'closed'}`}
      >
        <span className="status-dot" aria-hidden="true" />
        {statusLabel[connection.status]}
      </span>
      <span className="status-item" data-testid="save-status">
        {saveLabel(props)}
      </span>
      {following && <span className="status-item">Following {following}</span>}
      {indexing && (
        <span className="status-item" data-testid="indexing-status">
          {indexing}
        </span>
      )}
      {props.aiProblem && (
        <span className="status-item" data-testid="ai-status" title={props.aiProblem}>
          AI: no model
        </span>
      )}
      {props.problems && (
        <button
          className="status-item status-problems"
          data-testid="problems-status"
          title="Show problems"
          onClick={props.problems.onShow}
        >
          ⨯ {props.problems.errors} ⚠ {props.problems.warnings}
        </button>
      )}
      <span className="status-spacer" />
      {cursor && (
        <span className="status-item">
          Ln {cursor.line}, Col {cursor.column}
        </span>
      )}
      {language && <span className="status-item">{language}</span>}
    </footer>
  )
}
