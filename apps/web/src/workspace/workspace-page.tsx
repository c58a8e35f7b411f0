import { useCallback, useMemo, useState } from 'react'
import { canWrite, Role } from '@mimiverse/shared'
import { AgentProvider } from '../agent/agent-context'
import { ConnectAgentDialog } from '../agents/connect-agent-dialog'
import { useChatShortcut } from '../ai/use-chat-shortcut'
import { shortcutLabel, type Command } from '../commands/command'
import type { ProjectSummary } from '../api/trpc'
import { PRESETS, type PresetName } from '../layout/layout'
import { useLayout } from '../layout/use-layout'
import { InviteDialog } from '../projects/invite-dialog'
import { Link } from '../routing/link'
import { paths } from '../routing/routes'
import { useSettings } from '../settings/settings-context'
import { TopBar } from '../ui/top-bar'
import { useProject } from './use-project'
import { Workspace } from './workspace'

/** `/p/<projectId>`: loads the project, then the IDE; a missing project or lost access is a clear message. */
export function WorkspacePage({ projectId }: { projectId: string }) {
  const state = useProject(projectId)
  const [fatal, setFatal] = useState<string | null>(null)
  if (state.status === 'loading') return <FullPageMessage title="Opening project…" />
  if (state.status === 'error')
    return <FullPageMessage title="Cannot open this project" message={state.message} />
  if (fatal) return <FullPageMessage title="Cannot open this project" message={fatal} />
  return <ReadyWorkspace project={state.project} onFatal={setFatal} />
}

function ReadyWorkspace({
  project,
  onFatal,
}: {
  project: ProjectSummary
  onFatal: (message: string) => void
}) {
  const [sharing, setSharing] = useState(false)
  const [connecting, setConnecting] = useState(false)
  const [chatOpen, setChatOpen] = useState(false)
  const toggleChat = useCallback(() => setChatOpen((open) => !open), [])
  useChatShortcut(toggleChat)
  const writable = canWrite(project.role)
  const isOwner = project.role === Role.Owner
  const { openDialog: openSettings } = useSettings()
  const layout = useLayout()
  const { apply: applyLayout } = layout
  const pageCommands = useMemo<Command[]>(() => {
    const presets = (Object.keys(PRESETS) as PresetName[]).map<Command>((name) => ({
      id: `view.layout.${name}`,
      category: 'View',
      title: `Layout: ${PRESETS[name].title}`,
      run: () => {
        applyLayout(name)
        setChatOpen(PRESETS[name].chat)
      },
    }))
    const chat: Command = {
      id: 'chat.toggle',
      category: 'View',
      title: 'Toggle AI chat',
      shortcut: shortcutLabel('L'),
      run: toggleChat,
    }
    const share: Command = {
      id: 'project.share',
      category: 'Project',
      title: 'Share',
      run: () => setSharing(true),
    }
    const connect: Command = {
      id: 'project.connectAgent',
      category: 'Project',
      title: 'Connect an agent (Claude Code, Codex, Gemini CLI)',
      run: () => setConnecting(true),
    }
    const settings: Command = {
      id: 'settings.open',
      category: 'Preferences',
      title: 'Settings',
      run: openSettings,
    }
    return [...(isOwner ? [share] : []), connect, chat, ...presets, settings]
  }, [isOwner, toggleChat, openSettings, applyLayout])
  return (
    <div className="workspace">
      <TopBar>
        <span className="project-title">{project.name}</span>
        <span className={`role-badge role-${project.role}`}>{project.role}</span>
        {project.role === Role.Owner && (
          <button className="primary small" onClick={() => setSharing(true)}>
            Share
          </button>
        )}
        <span className="top-bar-spacer" />
        <button
          className="ghost small"
          title="Connect Claude Code, Codex or Gemini CLI"
          onClick={() => setConnecting(true)}
        >
          Connect agent
        </button>
        <button
          className={chatOpen ? 'small active' : 'ghost small'}
          aria-pressed={chatOpen}
          title="AI chat (Ctrl+L)"
          onClick={toggleChat}
        >
          AI chat
        </button>
      </TopBar>
      {!writable && (
        <div className="banner" role="status">
          You are a reviewer: files are read-only for you. Click a person in the sidebar to follow them.
        </div>
      )}
      <AgentProvider projectId={project.id} canEdit={writable}>
        <Workspace
          projectId={project.id}
          readOnly={!writable}
          onFatal={onFatal}
          chatOpen={chatOpen}
          onCloseChat={toggleChat}
          pageCommands={pageCommands}
          layout={layout}
        />
      </AgentProvider>
      {sharing && <InviteDialog projectId={project.id} onClose={() => setSharing(false)} />}
      {connecting && (
        <ConnectAgentDialog projectId={project.id} role={project.role} onClose={() => setConnecting(false)} />
      )}
    </div>
  )
}

export function FullPageMessage({ title, message }: { title: string; message?: string }) {
  return (
    <main className="auth-page">
      <div className="card auth-card" role={message ? 'alert' : 'status'}>
        <h1>{title}</h1>
        {message && <p className="muted">{message}</p>}
        {message && <Link href={paths.projects()}>Back to your projects</Link>}
      </div>
    </main>
  )
}
