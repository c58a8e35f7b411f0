import { useCallback, useEffect, useMemo, useState, type CSSProperties } from 'react'
import { FILES_EVENT } from '@mimiverse/shared'
import { useAgent } from '../agent/agent-context'
import { EditorAgent } from '../agent/editor-agent'
import { RunsPanel } from '../agent/runs-panel'
import { ChatPanel } from '../ai/chat-panel'
import type { Command } from '../commands/command'
import { usePalettes } from '../commands/use-palettes'
import { workspaceCommands } from '../commands/workspace-commands'
import { useInlineCompletions } from '../ai/inline/use-inline-completions'
import { completionProblem } from '../ai/inline/completion-gate'
import { useUser } from '../auth/auth-context'
import type { CollabConnection } from '../collab/connection'
import { Refusal } from '../collab/refusal'
import { useCollabConnection, useConnectionSnapshot } from '../collab/use-collab'
import { usePresence } from '../collab/use-presence'
import { useProjectColors } from '../collab/use-project-colors'
import { useProjectEvent, useProjectEventsDocument } from '../collab/project-events'
import { useCoalescedRead } from '../api/use-coalesced-read'
import { useSettings } from '../settings/settings-context'
import type { monaco } from '../editor/monaco-setup'
import { useRevealLine } from '../editor/use-reveal-line'
import { useCursorPosition } from '../editor/use-cursor-position'
import { useEditorBindings } from '../editor/use-editor-bindings'
import { useFollow } from '../editor/use-follow'
import { useRemoteCursorStyles } from '../editor/use-remote-cursor-styles'
import { SearchPanel } from '../search/search-panel'
import { useSearchView } from '../search/use-search-view'
import { TerminalPanel } from '../terminal/terminal-panel'
import { LIMITS, type Panel } from '../layout/layout'
import { Splitter } from '../layout/splitter'
import type { LayoutApi } from '../layout/use-layout'
import { SourceControlPanel } from '../git/source-control-panel'
import { useWorkspaceComments } from '../comments/use-workspace-comments'
import { useWorkspaceHistory } from '../history/use-workspace-history'
import { StatusBar, type StatusBarProps } from '../ui/status-bar'
import { EditorPane } from './editor-pane'
import { useFileActions } from './file-actions'
import { buildTree } from './file-tree'
import { Sidebar, type SidebarView } from './sidebar'
import { useFiles } from './use-files'
import { ProblemsPanel } from '../problems/problems-panel'
import { useProblems, type Problem } from '../problems/use-problems'
import { useCrossFile } from '../typescript/use-cross-file'
import { useProjectModels } from '../typescript/use-project-models'
import { useOpenFiles } from './use-open-files'
import { useTabs } from './use-tabs'

export interface WorkspaceProps {
  projectId: string
  readOnly: boolean
  onFatal: (m: string) => void
  /** Whether the AI chat is docked on the right. */
  chatOpen: boolean
  onCloseChat: () => void
  /** The panels' sizes (the page owns them: its presets also open and close the chat). */
  layout: LayoutApi
  /** The page's own commands (share, chat) for the command palette. */
  pageCommands: Command[]
}

/**
 * The IDE: sidebar (files, agent runs, people), tabs, the editor with the agent's overlay, the AI chat when
 * open, and the status bar, wired to one collab connection. Inside an AgentProvider (workspace-page.tsx).
 */
export function Workspace(props: WorkspaceProps) {
  const { projectId, readOnly, onFatal, chatOpen, onCloseChat } = props
  const user = useUser()
  const files = useFiles(projectId)
  const tabs = useTabs(projectId)
  const [notice, setNotice] = useState<string | null>(null)
  const [editor, setEditor] = useState<monaco.editor.IStandaloneCodeEditor | null>(null)
  const agent = useAgent()

  const { refresh, files: fileList } = files
  const { close: closeTab } = tabs
  const { byDoc, open: openFiles, tabs: tabInfo, active: activeFile } = useOpenFiles(fileList, tabs)

  const onRefused = (docName: string, refusal: Refusal) => {
    if (refusal === Refusal.NoAccess) return onFatal('You no longer have access to this project.')
    closeTab(docName)
    setNotice(`${byDoc.get(docName)?.path ?? 'A file'} was deleted or moved away; its tab was closed.`)
    void refresh()
  }
  const connection = useCollabConnection(projectId, user, { onRefused })
  useProjectEventsDocument(connection, projectId)
  useProjectEvent(connection, projectId, FILES_EVENT, useCoalescedRead(refresh))
  const peers = usePresence(connection, user.id)
  useProjectColors(projectId, peers, useSettings().settings.color, connection)
  useRemoteCursorStyles(connection)

  const bindings = useEditorBindings({ editor, connection, open: openFiles, active: tabs.active })
  const completion = useInlineCompletions({ editor, connection, open: openFiles, enabled: !readOnly })

  // Primitive deps: the polled file list brings new objects every few seconds; awareness only on real change.
  const [activeDoc, activePath] = [activeFile?.docName, activeFile?.path]
  useEffect(() => {
    connection?.setCurrentFile(activeDoc && activePath ? { docName: activeDoc, path: activePath } : null)
  }, [connection, activeDoc, activePath])

  const { show } = tabs
  const openDoc = useCallback((docName: string) => show(docName), [show])
  const follow = useFollow({ editor, connection, peers, activeDocName: tabs.active, openDoc })
  const openByUser = (docName: string) => {
    follow.follow(null)
    show(docName)
  }
  const actions = useFileActions(files, (_id, docName) => openByUser(docName))
  const tree = useMemo(
    () => (fileList ? buildTree(fileList, actions.emptyFolders) : null),
    [fileList, actions.emptyFolders],
  )
  const cursor = useCursorPosition(editor)
  const reveal = useRevealLine(editor, bindings.active)
  const tsLimit = useProjectModels(projectId, fileList)
  useCrossFile({ files: fileList, openByUser, addTabs: tabs.add, reveal })
  const problems = useProblems()
  const [problemsOpen, setProblemsOpen] = useState(false)
  const openProblem = (p: Problem) => {
    const file = fileList?.find((f) => f.path === p.path)
    if (!file) return
    openByUser(file.docName)
    reveal({ docName: file.docName, line: p.line })
  }
  const search = useSearchView({ projectId, fileList, refresh, reveal, openByUser })
  // The sidebar view other than search (which useSearchView owns) and files (the default).
  const [sideView, setSideView] = useState<Exclude<SidebarView, 'files' | 'search'> | null>(null)
  const view: SidebarView = search.open ? 'search' : (sideView ?? 'files')
  const { setOpen: setSearchOpen } = search
  const showView = useCallback(
    (next: SidebarView) => {
      setSideView(next === 'files' || next === 'search' ? null : next)
      setSearchOpen(next === 'search')
    },
    [setSearchOpen],
  )
  const showHistory = useCallback(() => showView('history'), [showView])
  const review = useWorkspaceComments({
    projectId,
    userId: user.id,
    connection,
    editor,
    binding: bindings.active,
    path: activePath ?? null,
    open: view === 'comments',
    openDoc: openByUser,
    reveal,
  })
  const history = useWorkspaceHistory({
    projectId,
    canWrite: !readOnly,
    editor,
    binding: bindings.active,
    path: activePath ?? null,
    open: view === 'history',
    showHistory,
  })
  const followedName = peers.find((p) => p.user.id === follow.following)?.user.name ?? null
  const palettes = usePalettes({
    projectId,
    files: fileList,
    active: tabs.active,
    editor,
    openFile: openByUser,
    commands: workspaceCommands({
      canWrite: !readOnly,
      pageCommands: props.pageCommands,
      onAction: actions.request,
      openQuickOpen: () => palettes.openFiles(),
      openSearch: search.openSearch,
      showProblems: () => setProblemsOpen(true),
      showFiles: () => showView('files'),
      activeDoc: tabs.active,
      closeTab: tabs.close,
      peers,
      following: follow.following,
      follow: follow.follow,
      comment: review.comment,
      showComments: () => showView('comments'),
      showHistory,
      toggleBlame: history.toggleBlame,
    }),
  })
  const chatFile = useMemo(
    () => (activeDoc && activePath && bindings.active ? { docName: activeDoc, path: activePath } : null),
    [activeDoc, activePath, bindings.active],
  )

  const { layout, resize } = props.layout
  const panelSizes = {
    '--sidebar-width': `${layout.sidebar}px`,
    '--chat-width': `${layout.chat}px`,
    '--terminal-height': `${layout.terminal}px`,
  } as CSSProperties
  const edge = (panel: Panel, label: string, axis: 'x' | 'y', direction: 1 | -1) => (
    <Splitter
      label={label}
      axis={axis}
      direction={direction}
      size={layout[panel]}
      {...LIMITS[panel]}
      onResize={(size) => resize(panel, size)}
      className={`splitter-${panel}`}
      testId={`${panel}-splitter`}
    />
  )
  return (
    <div className={chatOpen ? 'workspace-main with-chat' : 'workspace-main'} style={panelSizes}>
      {edge('sidebar', 'Resize the sidebar', 'x', 1)}
      {chatOpen && edge('chat', 'Resize the AI chat', 'x', -1)}
      <Sidebar
        view={view}
        onView={showView}
        comments={review.panel}
        history={history.panel}
        git={
          <SourceControlPanel
            projectId={projectId}
            open={view === 'git'}
            canWrite={!readOnly}
            connection={connection}
          />
        }
        search={
          <SearchPanel
            projectId={projectId}
            open={search.open}
            focusRequest={search.focusRequest}
            status={search.status.status}
            statusError={search.status.error}
            onOpenAt={search.openAt}
          />
        }
        tree={tree}
        filesError={files.error}
        activeFileId={activeFile?.id ?? null}
        canWrite={!readOnly}
        onOpen={(fileId) => {
          const f = fileList?.find((x) => x.id === fileId)
          if (f) openByUser(f.docName)
        }}
        onAction={actions.request}
        peers={peers}
        following={follow.following}
        onFollow={follow.follow}
        runs={<RunsPanel onOpen={openByUser} />}
      />
      <div className="editor-column">
        <EditorPane
          tabs={tabInfo}
          active={tabs.active}
          onShow={openByUser}
          onClose={tabs.close}
          notice={notice ?? agent.notice}
          onDismissNotice={() => {
            setNotice(null)
            agent.setNotice(null)
          }}
          bound={bindings.active !== undefined}
          readOnly={readOnly}
          onMount={setEditor}
          overlay={
            editor &&
            bindings.active && (
              <>
                <EditorAgent editor={editor} binding={bindings.active} />
                {review.overlay}
                {history.overlay}
              </>
            )
          }
        />
        <TerminalPanel
          projectId={projectId}
          resizer={edge('terminal', 'Resize the terminal panel', 'y', -1)}
        />
      </div>
      <ChatPanel
        open={chatOpen}
        projectId={projectId}
        editor={editor}
        file={chatFile}
        canInsert={!readOnly}
        onClose={onCloseChat}
      />
      <LiveStatusBar
        connection={connection}
        readOnly={readOnly}
        hasOpenFiles={openFiles.length > 0}
        cursor={bindings.active ? cursor : null}
        language={bindings.active?.model.getLanguageId() ?? null}
        following={followedName}
        indexingPending={search.status.status?.pending ?? null}
        aiProblem={completionProblem(completion)}
        problems={{ ...problems, onShow: () => setProblemsOpen((o) => !o) }}
      />
      {problemsOpen && (
        <ProblemsPanel
          problems={problems.list}
          limit={tsLimit}
          onOpen={openProblem}
          onClose={() => setProblemsOpen(false)}
        />
      )}
      {actions.dialog}
      {history.dialogs}
      {palettes.element}
    </div>
  )
}

/** Subscribes to the connection itself, so acknowledgements re-render the status bar and not the workspace. */
function LiveStatusBar({
  connection,
  ...rest
}: Omit<StatusBarProps, 'connection'> & { connection: CollabConnection | null }) {
  return <StatusBar connection={useConnectionSnapshot(connection)} {...rest} />
}
