import { describe, expect, it } from 'vitest'
import { cacheKey, createMemoryCache } from './cache'

describe('memory cache', () => {
  it('evicts the least recently used entry and expires entries after the TTL', async () => {
    let now = 0
    const cache = createMemoryCache({ maxEntries: 2, ttlMs: 1000, now: () => now })
    await cache.set('a', '1')
    await cache.set('b', '2')
    expect(await cache.get('a')).toBe('1')
    await cache.set('c', '3')
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe('1')
    now = 1000
    expect(await cache.get('c')).toBeUndefined()
  })

  it('keys by model and every prompt part, unambiguously', () => {
    expect(cacheKey('m', 'ab', 'c')).not.toBe(cacheKey('m', 'a', 'bc'))
    expect(cacheKey('m', 'x')).not.toBe(cacheKey('n', 'x'))
    expect(cacheKey('m', 'x')).toMatch(/^m:[0-9a-f]{64}$/)
  })
})
