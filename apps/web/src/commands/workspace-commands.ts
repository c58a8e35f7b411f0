import type { PresencePeer } from '../collab/presence'
import type { TreeAction } from '../ui/file-tree-view'
import { shortcutLabel, type Command } from './command'

export interface WorkspaceCommandsOptions {
  canWrite: boolean
  /** Commands of the page around the workspace (share, chat). */
  pageCommands: Command[]
  onAction: (action: TreeAction) => void
  openQuickOpen: () => void
  openSearch: () => void
  showFiles: () => void
  showProblems: () => void
  activeDoc: string | null
  closeTab: (docName: string) => void
  peers: PresencePeer[]
  following: string | null
  follow: (userId: string | null) => void
  /** Opens the comment box on the editor's selection; false when no file is shown. */
  comment: () => boolean
  showComments: () => void
  /** Shows the History view of the shown file. */
  showHistory: () => void
  /** Shows or hides who wrote each line in the editor. */
  toggleBlame: () => void
}

/** Every IDE action the workspace offers, in palette order. Pure: built again when its inputs change. */
export function workspaceCommands(o: WorkspaceCommandsOptions): Command[] {
  const commands: Command[] = [
    {
      id: 'file.quickOpen',
      category: 'File',
      title: 'Go to file…',
      shortcut: shortcutLabel('P'),
      run: o.openQuickOpen,
    },
  ]
  if (o.canWrite)
    commands.push(
      {
        id: 'file.new',
        category: 'File',
        title: 'New file…',
        run: () => o.onAction({ kind: 'new-file', folder: '' }),
      },
      {
        id: 'file.newFolder',
        category: 'File',
        title: 'New folder…',
        run: () => o.onAction({ kind: 'new-folder', folder: '' }),
      },
    )
  const active = o.activeDoc
  if (active)
    commands.push({ id: 'file.close', category: 'File', title: 'Close tab', run: () => o.closeTab(active) })
  commands.push(
    {
      id: 'search.open',
      category: 'Search',
      title: 'Search in files',
      shortcut: shortcutLabel('F', { shift: true }),
      run: o.openSearch,
    },
    { id: 'view.files', category: 'View', title: 'Show files', run: o.showFiles },
    { id: 'view.problems', category: 'View', title: 'Show problems', run: o.showProblems },
    { id: 'comments.add', category: 'Comments', title: 'Comment on selection', run: () => void o.comment() },
    { id: 'comments.show', category: 'Comments', title: 'Show comments', run: o.showComments },
    { id: 'history.show', category: 'File', title: 'Show history', run: o.showHistory },
    { id: 'view.toggleBlame', category: 'View', title: 'Toggle blame', run: o.toggleBlame },
    ...o.pageCommands,
  )
  for (const p of o.peers)
    if (!p.isSelf && p.user.id !== o.following)
      commands.push({
        id: `people.follow.${p.user.id}`,
        category: 'People',
        title: `Follow ${p.user.name}`,
        run: () => o.follow(p.user.id),
      })
  if (o.following)
    commands.push({
      id: 'people.unfollow',
      category: 'People',
      title: 'Stop following',
      run: () => o.follow(null),
    })
  return commands
}
