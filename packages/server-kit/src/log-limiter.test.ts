import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clipForLog, rateLimitedLogger } from './log-limiter'
import { createLogger } from './logger'

function captured() {
  const lines: { msg: string; [field: string]: unknown }[] = []
  const log = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as (typeof lines)[number]))
  return { lines, log }
}

describe('rateLimitedLogger', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes at most N lines a second over all its children, then one line with the count it dropped', () => {
    const { lines, log } = captured()
    const limited = rateLimitedLogger(log, { linesPerSecond: 3 })
    const child = limited.child({ component: 'auth' })
    for (let i = 0; i < 10; i++) (i % 2 ? child : limited).info('refused', { i })
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2])
    expect(lines[1]).toMatchObject({ component: 'auth' })

    vi.advanceTimersByTime(1000)
    expect(lines).toHaveLength(4)
    expect(lines[3]).toMatchObject({ msg: 'log lines suppressed', suppressed: 7, level: 'warn' })

    // A new second has a new budget; a quiet second writes no summary.
    limited.warn('again')
    vi.advanceTimersByTime(5000)
    expect(lines.map((l) => l.msg).slice(4)).toEqual(['again'])
  })
})

describe('clipForLog', () => {
  it('keeps short texts and cuts long ones, saying how long they were', () => {
    expect(clipForLog('doc')).toBe('doc')
    expect(clipForLog('x'.repeat(5_000_000))).toBe(`${'x'.repeat(100)}… (5000000 characters)`)
  })
})
