import { useState } from 'react'
import { runnerApi, type GitRemote } from './git-client'
import { useRemote } from './use-remote'

/**
 * The Remote part of the Source control view: the project's remote URL, whether credentials are set, and
 * Fetch / Pull / Push (Clone when the workspace has no repository yet), with the phase of an operation under way
 * and the last result, for everyone. Owners and editors change the remote; reviewers only see it (the server
 * refuses them anyway). The password or token goes to the server once and never comes back.
 */
export function RemoteSection(props: {
  projectId: string
  open: boolean
  canWrite: boolean
  /** The workspace has no repository: Clone instead of Fetch / Pull / Push. */
  noRepository: boolean
  busy: boolean
  /** Runs an action as the panel's other actions do (busy, errors, status read after). */
  run: (action: () => Promise<unknown>) => Promise<boolean>
}) {
  const { projectId, canWrite, busy, run } = props
  const { remote, error, read } = useRemote(projectId, props.open)
  const [editing, setEditing] = useState(false)
  const act = (action: () => Promise<unknown>) => void run(action).finally(() => void read())
  const idle = !busy && !remote?.running

  return (
    <div className="git-remote" role="group" aria-label="Remote">
      <h4 className="sidebar-subheading">Remote</h4>
      {error && <p className="form-error small">{error}</p>}
      {remote && !remote.enabled && (
        <p className="muted small">
          Remote git operations are off on this server (its administrator can allow hosts with
          RUNNER_GIT_REMOTES).
        </p>
      )}
      {remote && (
        <p className="small git-remote-url">
          {remote.url ?? <span className="muted">No remote</span>}
          {remote.url && (
            <span className="muted">
              {' '}
              · credentials {remote.credentials}
              {remote.username && ` (${remote.username})`}
            </span>
          )}
        </p>
      )}
      {canWrite && remote?.enabled && (editing || !remote.url) && (
        <RemoteForm
          remote={remote}
          busy={busy}
          onCancel={remote.url ? () => setEditing(false) : undefined}
          onSave={(input) =>
            void run(() => runnerApi.git.setRemote.mutate({ projectId, ...input })).then((ok) => {
              if (ok) setEditing(false)
              void read()
            })
          }
        />
      )}
      {canWrite && remote?.enabled && remote.url && !editing && (
        <div className="git-remote-actions">
          {(props.noRepository ? OPERATIONS.slice(3) : OPERATIONS.slice(0, 3)).map((operation) => (
            <button
              key={operation}
              className="ghost small"
              disabled={!idle}
              onClick={() => act(() => runnerApi.git[operation].mutate({ projectId }))}
            >
              {capitalize(operation)}
            </button>
          ))}
          <button className="ghost small" disabled={!idle} onClick={() => setEditing(true)}>
            Edit remote
          </button>
        </div>
      )}
      {remote && <Progress remote={remote} />}
    </div>
  )
}

/** The remote operations, in the order of their buttons; Clone only while the workspace has no repository. */
const OPERATIONS = ['fetch', 'pull', 'push', 'clone'] as const

function Progress({ remote }: { remote: GitRemote }) {
  const { running, last } = remote
  if (running) {
    return (
      <p className="small" role="status" aria-label="Remote progress">
        {capitalize(running.operation)} by {running.by}: {running.phase}
        {running.percent !== null && ` ${running.percent}%`}…
      </p>
    )
  }
  if (!last) return null
  return (
    <p className={last.ok ? 'muted small' : 'form-error small'} role="status" aria-label="Remote result">
      {capitalize(last.operation)} by {last.by}: {last.message}
    </p>
  )
}

function RemoteForm(props: {
  remote: GitRemote
  busy: boolean
  onCancel?: () => void
  onSave: (input: { url: string; credentials?: { username: string; password: string } | null }) => void
}) {
  const [url, setUrl] = useState(props.remote.url ?? '')
  const [username, setUsername] = useState(props.remote.username ?? '')
  const [password, setPassword] = useState('')
  const credentials = password ? { username, password } : undefined
  return (
    <form
      className="git-remote-form"
      onSubmit={(e) => {
        e.preventDefault()
        props.onSave({ url, credentials })
      }}
    >
      <input
        aria-label="Remote URL"
        placeholder="https://host/owner/repo.git"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <input
        aria-label="Username"
        placeholder="Username"
        autoComplete="off"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <input
        aria-label="Token or password"
        type="password"
        autoComplete="new-password"
        placeholder={props.remote.credentials === 'set' ? 'Token (unchanged if empty)' : 'Token or password'}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <div className="git-remote-actions">
        <button
          className="ghost small"
          disabled={props.busy || !url.trim() || (password !== '' && !username.trim())}
        >
          Save remote
        </button>
        {props.remote.credentials === 'set' && (
          <button
            type="button"
            className="ghost small"
            disabled={props.busy}
            onClick={() => props.onSave({ url, credentials: null })}
          >
            Forget credentials
          </button>
        )}
        {props.onCancel && (
          <button type="button" className="ghost small" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
