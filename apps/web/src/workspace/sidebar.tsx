import type { ReactNode } from 'react'
import type { PresencePeer } from '../collab/presence'
import { FileTreeView, type TreeAction } from '../ui/file-tree-view'
import { PresenceList } from '../ui/presence-list'
import type { TreeNode } from './file-tree'

/** What the top of the sidebar shows. */
export type SidebarView = 'files' | 'search' | 'git' | 'comments' | 'history'

export interface SidebarProps {
  view: SidebarView
  onView: (view: SidebarView) => void
  /** The search panel (kept mounted while the files are shown, so its query and results survive). */
  search: ReactNode
  /** The Source Control view (kept mounted, so a commit message being written survives a look at the files). */
  git: ReactNode
  /** The Comments view (kept mounted, so a reply being written survives a look at the files). */
  comments: ReactNode
  /** The History view of the shown file (kept mounted, so a comparison stays open). */
  history: ReactNode
  tree: TreeNode[] | null
  filesError: string | null
  activeFileId: string | null
  canWrite: boolean
  onOpen: (fileId: string) => void
  onAction: (action: TreeAction) => void
  peers: PresencePeer[]
  following: string | null
  onFollow: (userId: string | null) => void
  /** The agent's runs, between files and people. */
  runs: ReactNode
}

const VIEW_NAMES: Record<SidebarView, string> = {
  files: 'Files',
  search: 'Search',
  git: 'Source control',
  comments: 'Comments',
  history: 'History',
}
const VIEW_TITLES: Record<SidebarView, string> = {
  files: 'Files',
  search: 'Search (Ctrl+Shift+F)',
  git: 'Source control (git)',
  comments: 'Review comments',
  history: 'History of the shown file',
}

/** Files, search, source control, comments or history on top (switched by the tabs), the agent's runs, people below. */
export function Sidebar(props: SidebarProps) {
  return (
    <aside className="sidebar">
      <div className="sidebar-views" role="tablist" aria-label="Sidebar">
        {(['files', 'search', 'git', 'comments', 'history'] as const).map((view) => (
          <button
            key={view}
            role="tab"
            aria-selected={props.view === view}
            className={props.view === view ? 'sidebar-view active' : 'sidebar-view'}
            title={VIEW_TITLES[view]}
            onClick={() => props.onView(view)}
          >
            {VIEW_NAMES[view]}
          </button>
        ))}
      </div>
      {props.search}
      {props.git}
      {props.comments}
      {props.history}
      <section className="files-section" aria-label="Files" hidden={props.view !== 'files'}>
        <div className="sidebar-heading-row">
          <h3 className="sidebar-heading">Files</h3>
          {props.canWrite && (
            <span className="sidebar-actions">
              <button
                className="ghost icon"
                title="New file"
                aria-label="New file"
                onClick={() => props.onAction({ kind: 'new-file', folder: '' })}
              >
                +
              </button>
              <button
                className="ghost icon"
                title="New folder"
                aria-label="New folder"
                onClick={() => props.onAction({ kind: 'new-folder', folder: '' })}
              >
                ⊞
              </button>
            </span>
          )}
        </div>
        {props.filesError && (
          <p className="form-error small" role="alert">
            {props.filesError}
          </p>
        )}
        {props.tree === null && !props.filesError && <p className="muted small">Loading files…</p>}
        {props.tree?.length === 0 && <p className="muted small">No files yet.</p>}
        {props.tree && (
          <FileTreeView
            nodes={props.tree}
            activeFileId={props.activeFileId}
            canWrite={props.canWrite}
            onOpen={props.onOpen}
            onAction={props.onAction}
          />
        )}
      </section>
      {props.runs}
      <PresenceList peers={props.peers} following={props.following} onFollow={props.onFollow} />
    </aside>
  )
}
