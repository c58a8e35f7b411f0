import { describe, expect, it } from 'vitest'
import { createBreaker } from './breaker'

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one trial through after the cooldown, closes on success', () => {
    let t = 0
    const changes: string[] = []
    const b = createBreaker({
      name: 'x',
      failures: 2,
      cooldownMs: 1000,
      now: () => t,
      onChange: (s) => changes.push(s),
    })
    b.failure()
    expect(b.state()).toBe('closed')
    b.success()
    b.failure()
    b.failure()
    expect(b.state()).toBe('open')
    expect(b.allow()).toBe(false)
    t = 1000
    expect(b.allow()).toBe(true)
    expect(b.allow()).toBe(false)
    b.failure()
    expect(b.state()).toBe('open')
    t = 2000
    expect(b.allow()).toBe(true)
    b.success()
    expect(b.state()).toBe('closed')
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed'])
  })
})
