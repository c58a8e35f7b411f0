import { describe, expect, it } from 'vitest'
import { createProgress, renderBar } from './progress'

describe('progress', () => {
  it('draws a bar that fits the terminal, keeping the end of long paths', () => {
    expect(renderBar({ done: 1, total: 4, label: 'a.ts', columns: 80 })).toBe(
      '[######------------------] 1/4 a.ts',
    )
    const line = renderBar({ done: 2, total: 2, label: 'very/long/path/to/file.ts', columns: 45 })
    expect(line).toMatch(/^\[#{24}\] 2\/2 ….*to\/file\.ts$/)
    expect(line.length).toBe(44)
  })

  it('prints plain lines when not on a terminal, and redraws one line on a terminal', () => {
    let plain = ''
    const p = createProgress({ write: (t) => void (plain += t) }, 2)
    p.step('a.ts', 'created')
    p.step('b.ts', 'unchanged')
    expect(plain).toBe('[1/2] created a.ts\n[2/2] unchanged b.ts\n')
    let tty = ''
    const t = createProgress({ write: (s) => void (tty += s), isTTY: true, columns: 60 }, 1)
    t.step('a.ts', 'created')
    t.done()
    expect(tty).not.toContain('\n')
    expect(tty.endsWith('\r\x1b[2K')).toBe(true)
  })
})
