import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'

describe('logger', () => {
  it('writes one JSON line per entry at or above its level, with bound fields and readable errors', () => {
    const lines: string[] = []
    const log = createLogger('info', { service: 'test' }, (line) => lines.push(line))
    log.debug('hidden')
    log.child({ component: 'api' }).warn('slow', { error: new TypeError('boom') })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/\n$/)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      msg: 'slow',
      service: 'test',
      component: 'api',
      error: { name: 'TypeError', message: 'boom' },
    })
    const silent: string[] = []
    createLogger('silent', {}, (line) => silent.push(line)).error('nothing')
    expect(silent).toEqual([])
  })
})
