import { useState } from 'react'
import type { CollabConnection } from '../collab/connection'
import { DiffDialog } from './diff-dialog'
import { runnerApi, type GitFile } from './git-client'
import { RemoteSection } from './remote-section'
import { useGit } from './use-git'
import { useSharedMessage } from './use-shared-message'

const LETTER: Record<string, string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  typechange: 'T',
  untracked: 'U',
}

/**
 * The Source Control view of the sidebar: branch, staged and unstaged changes (a click shows the diff), commit,
 * log, branches. Everyone's panel reads the same repository every few seconds, so a commit, a switch or a
 * staged file shows for everyone. The commit message is one shared document everyone types into at once.
 * Reviewers see it all and get no buttons (the server refuses them anyway).
 */
export function SourceControlPanel(props: {
  projectId: string
  open: boolean
  canWrite: boolean
  connection: CollabConnection | null
}) {
  const { projectId, canWrite } = props
  const { state, busy, actionError, run } = useGit(projectId, props.open)
  const message = useSharedMessage(props.connection, projectId, props.open && canWrite)
  const [newBranch, setNewBranch] = useState('')
  const [diff, setDiff] = useState<{ path: string; staged: boolean } | null>(null)
  const status = state.status
  const staged = status?.files.filter((f) => f.staged) ?? []
  const unstaged = status?.files.filter((f) => f.unstaged) ?? []
  const stage = (paths: string[]) => run(() => runnerApi.git.stage.mutate({ projectId, paths }))
  const unstage = (paths: string[]) => run(() => runnerApi.git.unstage.mutate({ projectId, paths }))
  const commit = async () => {
    const started = message.begin()
    if (await run(() => runnerApi.git.commit.mutate({ projectId, message: started.message }))) started.clear()
  }

  return (
    <section className="git-section" aria-label="Source control" hidden={!props.open}>
      <h3 className="sidebar-heading">Source control</h3>
      {actionError && (
        <p className="form-error small" role="alert">
          {actionError}
        </p>
      )}
      {state.noRepository ? (
        <NoRepository
          canWrite={canWrite}
          onInit={() => void run(() => runnerApi.git.init.mutate({ projectId }))}
        />
      ) : (
        state.error && <p className="form-error small">{state.error}</p>
      )}
      {(status || state.noRepository) && (
        <RemoteSection
          projectId={projectId}
          open={props.open}
          canWrite={canWrite}
          noRepository={state.noRepository}
          busy={busy}
          run={run}
        />
      )}
      {status?.merging && (
        <p className="small git-merging" role="note">
          A merge is under way: fix the conflicted files (marked !), stage them and commit to finish it.
        </p>
      )}
      {status && (
        <>
          <div className="git-branch-row">
            <label className="small">
              Branch{' '}
              <select
                aria-label="Branch"
                value={status.branch ?? ''}
                disabled={!canWrite || busy}
                onChange={(e) =>
                  void run(() => runnerApi.git.checkout.mutate({ projectId, branch: e.target.value }))
                }
              >
                {status.branch === null && <option value="">(detached)</option>}
                {state.branches.map((b) => (
                  <option key={b.name} value={b.name}>
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {canWrite && (
            <div className="git-commit-box">
              <textarea
                ref={message.ref}
                aria-label="Commit message"
                placeholder={message.ready ? 'Commit message (shared)' : 'Loading the shared message…'}
                value={message.value}
                rows={3}
                disabled={!message.ready}
                onChange={(e) => message.onChange(e.target.value)}
              />
              {message.problem && <p className="form-error small">{message.problem}</p>}
              <button
                disabled={busy || !message.ready || !message.value.trim() || staged.length === 0}
                onClick={() => void commit()}
              >
                Commit
              </button>
            </div>
          )}
          <FileList
            title="Staged changes"
            files={staged}
            kind={(f) => f.staged}
            action={canWrite ? { label: 'Unstage', run: (p) => void unstage(p) } : null}
            onOpen={(path) => setDiff({ path, staged: true })}
          />
          <FileList
            title="Changes"
            files={unstaged}
            kind={(f) => f.unstaged}
            action={canWrite ? { label: 'Stage', run: (p) => void stage(p) } : null}
            onOpen={(path) => setDiff({ path, staged: false })}
          />
          {canWrite && (
            <form
              className="git-new-branch"
              onSubmit={(e) => {
                e.preventDefault()
                void run(() => runnerApi.git.createBranch.mutate({ projectId, name: newBranch })).then(
                  (ok) => ok && setNewBranch(''),
                )
              }}
            >
              <input
                aria-label="New branch"
                placeholder="New branch"
                value={newBranch}
                onChange={(e) => setNewBranch(e.target.value)}
              />
              <button className="ghost small" disabled={busy || !newBranch.trim()}>
                Create
              </button>
            </form>
          )}
          {canWrite && state.branches.length > 1 && (
            <MergeRow
              branches={state.branches.filter((b) => !b.current).map((b) => b.name)}
              busy={busy}
              onMerge={(branch) => void run(() => runnerApi.git.merge.mutate({ projectId, branch }))}
            />
          )}
          <h4 className="sidebar-subheading">Log</h4>
          <ol className="git-log" aria-label="Log">
            {state.log.map((c) => (
              <li key={c.hash} title={`${c.hash}\n${c.body}`}>
                <span className="git-log-subject">{c.subject}</span>
                <span className="muted small">
                  {c.author.name}
                  {c.coAuthors.length > 0 && ` +${c.coAuthors.length}`} · {new Date(c.date).toLocaleString()}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {diff && (
        <DiffDialog
          projectId={projectId}
          path={diff.path}
          staged={diff.staged}
          canWrite={canWrite}
          run={run}
          onClose={() => setDiff(null)}
        />
      )}
    </section>
  )
}

function NoRepository({ canWrite, onInit }: { canWrite: boolean; onInit: () => void }) {
  return (
    <div className="muted small">
      <p>This project has no git repository.</p>
      {canWrite && (
        <button className="ghost small" onClick={onInit}>
          Initialize repository
        </button>
      )}
    </div>
  )
}

function FileList(props: {
  title: string
  files: GitFile[]
  kind: (f: GitFile) => string | null
  action: { label: string; run: (paths: string[]) => void } | null
  onOpen: (path: string) => void
}) {
  const { files, action } = props
  return (
    <div className="git-files" role="group" aria-label={props.title}>
      <h4 className="sidebar-subheading">
        {props.title} ({files.length})
        {action && files.length > 0 && (
          <button className="ghost small" onClick={() => action.run(files.map((f) => f.path))}>
            {action.label} all
          </button>
        )}
      </h4>
      <ul>
        {files.map((f) => (
          <li key={f.path} className={f.conflicted ? 'git-file conflicted' : 'git-file'}>
            <button className="ghost small git-file-open" title={f.path} onClick={() => props.onOpen(f.path)}>
              {f.path}
            </button>
            <span className="git-kind">{f.conflicted ? '!' : (LETTER[props.kind(f) ?? ''] ?? '')}</span>
            {action && (
              <button
                className="ghost small"
                aria-label={`${action.label} ${f.path}`}
                onClick={() => action.run([f.path])}
              >
                {action.label === 'Stage' ? '+' : '−'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

function MergeRow(props: { branches: string[]; busy: boolean; onMerge: (branch: string) => void }) {
  const [branch, setBranch] = useState(props.branches[0] ?? '')
  return (
    <div className="git-merge-row">
      <select aria-label="Branch to merge" value={branch} onChange={(e) => setBranch(e.target.value)}>
        {props.branches.map((b) => (
          <option key={b}>{b}</option>
        ))}
      </select>
      <button className="ghost small" disabled={props.busy || !branch} onClick={() => props.onMerge(branch)}>
        Merge into current
      </button>
    </div>
  )
}
