import { Hocuspocus } from '@hocuspocus/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '@mimiverse/server-kit'
import { routeHocuspocusConsole } from './console'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
  vi.restoreAllMocks()
})

/** A logger whose lines are kept, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = []
  const log = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>))
  return { log, lines }
}

describe('routing Hocuspocus console messages', () => {
  it("logs a multi-line Hocuspocus message as one line, and leaves everyone else's console calls alone", async () => {
    const ours = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { log, lines } = capture()
    cleanups.push(routeHocuspocusConsole(log))
    // A hook that throws: Hocuspocus' hook runner prints `[hook] message` with console.error.
    const hocuspocus = new Hocuspocus({
      quiet: true,
      extensions: [{ onDestroy: () => Promise.reject(new Error('first line\nsecond line')) }],
    })
    await expect(hocuspocus.hooks('onDestroy', {} as never)).rejects.toThrow('first line')
    console.error('our own', 'output')

    // Each of Hocuspocus' calls is one whole line (its hook runner prints the error again at each later extension).
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(line).toMatchObject({
        level: 'error',
        component: 'hocuspocus',
        package: '@hocuspocus/server',
        msg: '[onDestroy] first line',
        text: '[onDestroy] first line\nsecond line',
      })
    }
    expect(ours).toHaveBeenCalledTimes(1)
    expect(ours).toHaveBeenCalledWith('our own', 'output')
  })

  it('restores the console once the last server stops routing', () => {
    const original = console.warn
    const first = routeHocuspocusConsole(capture().log)
    const second = routeHocuspocusConsole(capture().log)
    expect(console.warn).not.toBe(original)
    first()
    expect(console.warn).not.toBe(original)
    second()
    expect(console.warn).toBe(original)
  })
})
