import { describe, expect, it } from 'vitest'
import { createTokenBucket } from './token-bucket'

describe('token bucket', () => {
  it('lets a burst up to its capacity through, then the rate, and refills while idle', () => {
    let now = 0
    const bucket = createTokenBucket({ ratePerSecond: 10, capacity: 20, now: () => now })
    const taken = (n: number) => Array.from({ length: n }, () => bucket.take()).filter(Boolean).length
    expect(taken(25)).toBe(20)
    now += 500
    expect(taken(10)).toBe(5)
    now += 60_000
    expect(taken(25)).toBe(20)
  })

  it('spends several tokens at once only when there are that many', () => {
    let now = 0
    const bytes = createTokenBucket({ ratePerSecond: 100, capacity: 100, now: () => now })
    expect(bytes.take(80)).toBe(true)
    expect(bytes.take(30)).toBe(false)
    expect(bytes.take(20)).toBe(true)
    now += 1000
    expect(bytes.take(101)).toBe(false)
    expect(bytes.take(100)).toBe(true)
  })
})
