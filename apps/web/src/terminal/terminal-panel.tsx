import { useEffect, useState, type ReactNode } from 'react'
import type { TerminalInfo } from '@mimiverse/shared/terminal-protocol'
import { api } from '../api/trpc'
import { runScripts } from './run-scripts'
import type { ChannelState } from './terminal-channel'
import { TerminalView } from './terminal-view'
import { useTerminals } from './use-terminals'

/** How long "… is typing" stays after the last keystroke, ms. */
const TYPING_SHOWN_MS = 2000

/**
 * The bottom panel: the project's shared terminals as tabs (new, run a package.json script, kill, close, who is
 * typing). Collapsed to its header until opened; the channel connects only while it is open. `resizer` is the
 * drag handle on its top edge, shown while it is open.
 */
export function TerminalPanel({ projectId, resizer }: { projectId: string; resizer?: ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <section className={open ? 'terminal-panel open' : 'terminal-panel'} aria-label="Terminals">
      {open && resizer}
      {open ? (
        <OpenPanel projectId={projectId} onHide={() => setOpen(false)} />
      ) : (
        <header className="terminal-header">
          <button className="ghost small" onClick={() => setOpen(true)}>
            Terminal ▴
          </button>
        </header>
      )}
    </section>
  )
}

function OpenPanel({ projectId, onHide }: { projectId: string; onHide: () => void }) {
  const { channel, state } = useTerminals(projectId)
  const [active, setActive] = useState<string | null>(null)
  const shown = state.terminals.find((t) => t.id === active) ?? state.terminals.at(-1) ?? null
  // A newly opened terminal (the last listed) comes to the front.
  const newest = state.terminals.at(-1)?.id ?? null
  useEffect(() => setActive(newest), [newest])
  const openTerminal = (script?: string) =>
    channel?.send({ type: 'open', cols: 100, rows: 24, ...(script ? { run: { script } } : {}) })
  const writable = state.canWrite && state.available

  return (
    <>
      <header className="terminal-header">
        <button className="ghost small" onClick={onHide} title="Hide the terminal panel">
          Terminal ▾
        </button>
        <div className="terminal-tabs" role="tablist">
          {state.terminals.map((t) => (
            <TerminalTab
              key={t.id}
              info={t}
              selected={t.id === shown?.id}
              canWrite={writable}
              onSelect={() => setActive(t.id)}
              onKill={() => channel?.send({ type: 'kill', id: t.id })}
              onClose={() => channel?.send({ type: 'close', id: t.id })}
            />
          ))}
        </div>
        {writable && (
          <>
            <button
              className="ghost small"
              title="New terminal"
              aria-label="New terminal"
              onClick={() => openTerminal()}
            >
              +
            </button>
            <RunMenu projectId={projectId} onRun={openTerminal} />
          </>
        )}
        <span className="top-bar-spacer" />
        <Typing state={state} id={shown?.id ?? null} />
      </header>
      <PanelNotice state={state} />
      <div className="terminal-body">
        {channel &&
          state.terminals.map((t) => (
            <TerminalView
              key={t.id}
              channel={channel}
              info={t}
              canWrite={writable}
              visible={t.id === shown?.id}
            />
          ))}
      </div>
    </>
  )
}

function TerminalTab(props: {
  info: TerminalInfo
  selected: boolean
  canWrite: boolean
  onSelect: () => void
  onKill: () => void
  onClose: () => void
}) {
  const { info } = props
  const status = info.exit ? (info.exit.signal ? ` (killed)` : ` (exit ${info.exit.code})`) : ''
  return (
    <span
      className={props.selected ? 'terminal-tab selected' : 'terminal-tab'}
      role="tab"
      aria-selected={props.selected}
    >
      <button className="ghost small" onClick={props.onSelect} title={`Opened by ${info.createdBy.name}`}>
        {info.title}
        {status}
      </button>
      {props.canWrite && !info.exit && (
        <button className="ghost icon" aria-label={`Kill ${info.title}`} title="Kill" onClick={props.onKill}>
          ■
        </button>
      )}
      {props.canWrite && (
        <button
          className="ghost icon"
          aria-label={`Close ${info.title}`}
          title="Close"
          onClick={props.onClose}
        >
          ×
        </button>
      )}
    </span>
  )
}

/** The package.json scripts of the project, read when the menu opens. */
function RunMenu({ projectId, onRun }: { projectId: string; onRun: (script: string) => void }) {
  const [scripts, setScripts] = useState<{ name: string; command: string }[] | null>(null)
  const [open, setOpen] = useState(false)
  const toggle = () => {
    setOpen(!open)
    if (open) return
    api.files.read
      .query({ projectId, path: 'package.json' })
      .then(({ content }) => setScripts(runScripts(content)))
      .catch(() => setScripts([]))
  }
  return (
    <span className="run-menu">
      <button className="ghost small" aria-haspopup="menu" aria-expanded={open} onClick={toggle}>
        Run ▾
      </button>
      {open && (
        <div className="run-menu-list" role="menu">
          {scripts === null && <span className="muted">Reading package.json…</span>}
          {scripts?.length === 0 && <span className="muted">No package.json scripts</span>}
          {scripts?.map((s) => (
            <button
              key={s.name}
              role="menuitem"
              className="ghost small"
              title={s.command}
              onClick={() => {
                setOpen(false)
                onRun(s.name)
              }}
            >
              npm run {s.name}
            </button>
          ))}
        </div>
      )}
    </span>
  )
}

function Typing({ state, id }: { state: ChannelState; id: string | null }) {
  const typing = id ? state.typing[id] : undefined
  const [, tick] = useState(0)
  useEffect(() => {
    if (!typing) return
    const t = setTimeout(() => tick((n) => n + 1), TYPING_SHOWN_MS)
    return () => clearTimeout(t)
  }, [typing])
  if (!typing || Date.now() - typing.at > TYPING_SHOWN_MS) return null
  return <span className="muted terminal-typing">{typing.user.name} is typing…</span>
}

function PanelNotice({ state }: { state: ChannelState }) {
  let text: string | null = null
  if (state.status === 'closed') text = state.reason
  else if (state.status === 'connecting' && state.failures >= 3)
    text = 'Cannot reach the terminals on this server; retrying…'
  else if (state.status === 'connecting') text = 'Connecting to the terminals…'
  else if (!state.available) text = `Terminals are off on this server: ${state.reason ?? 'unavailable'}`
  else if (!state.canWrite) text = 'You are a reviewer: you can watch the terminals but not type in them.'
  else if (state.terminals.length === 0) text = 'No terminal yet: open one with +, or run a script.'
  const error = state.error
  if (!text && !error) return null
  return (
    <div className="terminal-notice muted" role="status">
      {text}
      {error && <span className="terminal-error"> {error}</span>}
    </div>
  )
}
