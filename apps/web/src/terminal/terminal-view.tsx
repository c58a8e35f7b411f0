import { useEffect, useRef } from 'react'
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import type { TerminalInfo } from '@mimiverse/shared/terminal-protocol'
import type { TerminalChannel } from './terminal-channel'

export interface TerminalViewProps {
  channel: TerminalChannel
  info: TerminalInfo
  canWrite: boolean
  visible: boolean
}

/**
 * One shared terminal in xterm.js. The PTY has one size for everyone: the view takes the server's size, and a
 * writer whose panel changes size (or who shows the terminal) asks the server to fit it to their panel.
 * Reviewers get a view that takes no input (the server refuses it anyway).
 */
export function TerminalView({ channel, info, canWrite, visible }: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null)
  const term = useRef<{ terminal: Terminal; fit: FitAddon } | null>(null)
  const { id } = info

  useEffect(() => {
    const terminal = new Terminal({
      cols: info.cols,
      rows: info.rows,
      disableStdin: !canWrite,
      cursorBlink: canWrite,
      fontSize: 13,
      scrollback: 1000,
      theme: { background: '#1b1d23' },
    })
    const fit = new FitAddon()
    terminal.loadAddon(fit)
    terminal.open(host.current!)
    term.current = { terminal, fit }
    const detach = channel.attach(id, (data, reset) => {
      if (reset) terminal.reset()
      terminal.write(data)
    })
    const typed = terminal.onData((data) => channel.input(id, data))
    return () => {
      detach()
      typed.dispose()
      terminal.dispose()
      term.current = null
    }
    // Size and rights are applied by the effects below: the terminal is created once per id.
  }, [channel, id])

  useEffect(() => {
    term.current?.terminal.resize(info.cols, info.rows)
  }, [info.cols, info.rows])

  useEffect(() => {
    if (term.current) term.current.terminal.options.disableStdin = !canWrite
  }, [canWrite])

  useEffect(() => {
    if (!visible || !canWrite || info.exit || !host.current) return
    const fitToPanel = () => {
      const size = term.current?.fit.proposeDimensions()
      if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows)) return
      const cols = Math.max(2, Math.min(500, size.cols))
      const rows = Math.max(1, Math.min(200, size.rows))
      if (cols !== info.cols || rows !== info.rows) channel.send({ type: 'resize', id, cols, rows })
    }
    const observer = new ResizeObserver(fitToPanel)
    observer.observe(host.current)
    term.current?.terminal.focus()
    return () => observer.disconnect()
  }, [visible, canWrite, channel, id, info.cols, info.rows, info.exit])

  return <div ref={host} className="terminal-view" data-terminal-id={id} hidden={!visible} />
}
