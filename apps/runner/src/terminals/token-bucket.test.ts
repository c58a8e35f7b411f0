import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
  it('allows a second’s worth at once, then paces at the rate', () => {
    let now = 0
    const bucket = new TokenBucket(1000, () => now)
    bucket.take(1000)
    expect(bucket.waitMs()).toBe(0)
    expect(bucket.used()).toBe(1000)
    bucket.take(500)
    expect(bucket.waitMs()).toBe(500)
    now = 250
    expect(bucket.waitMs()).toBe(250)
    now = 10_000
    expect(bucket.waitMs()).toBe(0)
    bucket.take(1500)
    expect(bucket.waitMs()).toBe(500)
  })
})
