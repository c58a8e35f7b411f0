import { describe, expect, it, vi } from 'vitest'
import { createTokenCache } from './token-cache'

describe('createTokenCache', () => {
  const at = (ms: number) => new Date(ms).toISOString()

  it('shares one fetch between concurrent callers and reuses the token until near expiry', async () => {
    let clock = 0
    const fetchToken = vi.fn(async () => ({
      token: `t${fetchToken.mock.calls.length}`,
      expiresAt: at(clock + 120_000),
    }))
    const cache = createTokenCache(fetchToken, { marginMs: 60_000, now: () => clock })
    expect(await Promise.all([cache.get(), cache.get()])).toEqual(['t1', 't1'])
    clock = 59_000
    expect(await cache.get()).toBe('t1')
    clock = 61_000
    expect(await cache.get()).toBe('t2')
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('fetches again after invalidate and after a failed fetch', async () => {
    const fetchToken = vi
      .fn<() => Promise<{ token: string; expiresAt: string }>>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue({ token: 'ok', expiresAt: at(Date.now() + 600_000) })
    const cache = createTokenCache(fetchToken)
    await expect(cache.get()).rejects.toThrow('down')
    expect(await cache.get()).toBe('ok')
    cache.invalidate()
    expect(await cache.get()).toBe('ok')
    expect(fetchToken).toHaveBeenCalledTimes(3)
  })
})
