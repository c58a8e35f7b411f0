import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { createLogger } from './logger'
import { closeOnSignals } from './shutdown'

function newTarget() {
  const events = new EventEmitter()
  const exit = vi.fn<(code: number) => void>()
  return { events, exit, target: { on: (s: 'SIGTERM' | 'SIGINT', l: () => void) => events.on(s, l), exit } }
}

describe('closeOnSignals', () => {
  it('closes once on the first signal, then exits 0', async () => {
    const { events, exit, target } = newTarget()
    const lines: string[] = []
    const close = vi.fn(() => Promise.resolve())
    closeOnSignals(
      createLogger('info', {}, (l) => lines.push(l)),
      close,
      target,
    )
    events.emit('SIGTERM')
    events.emit('SIGINT')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(close).toHaveBeenCalledTimes(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'shutting down', signal: 'SIGTERM' })
  })

  it('logs a failed close and exits 1', async () => {
    const { events, exit, target } = newTarget()
    const lines: string[] = []
    closeOnSignals(
      createLogger('info', {}, (l) => lines.push(l)),
      () => Promise.reject(new Error('x')),
      target,
    )
    events.emit('SIGINT')
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1))
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'error', msg: 'shutdown failed' })
  })
})
