import { describe, expect, it } from 'vitest'
import { AdaptiveDebounce, MAX_DEBOUNCE_MS, MIN_DEBOUNCE_MS } from './adaptive-debounce'
import { CompletionCache } from './completion-cache'

const base = { docName: 'p/f', suffix: '\n}', model: 'm', latencyMs: 120 }

describe('the client completion cache', () => {
  it('serves typing through a suggestion and backspacing over it, and nothing elsewhere', () => {
    const cache = new CompletionCache()
    const prefix = 'x'.repeat(500) + 'return '
    cache.add({ ...base, prefix, text: 'total + 1' })
    expect(cache.lookup('p/f', prefix, '\n}').map((h) => h.rest)).toEqual(['total + 1'])
    // The editor's prefix window slides as the user types: still the same suggestion.
    expect(cache.lookup('p/f', prefix.slice(3) + 'tot', '\n}').map((h) => h.rest)).toEqual(['al + 1'])
    expect(cache.lookup('p/f', prefix + 'to', '\n}').map((h) => h.rest)).toEqual(['tal + 1'])
    expect(cache.lookup('p/f', prefix + 'tx', '\n}')).toEqual([])
    expect(cache.lookup('p/f', prefix + 'total + 1', '\n}')).toEqual([])
    expect(cache.lookup('p/f', prefix, '\n')).toEqual([])
    expect(cache.lookup('p/g', prefix, '\n}')).toEqual([])
  })

  it('offers every distinct suggestion for a cursor, newest first (Alt+] cycles through them)', () => {
    const cache = new CompletionCache()
    cache.add({ ...base, prefix: 'a = ', text: '1' })
    cache.add({ ...base, prefix: 'a = ', text: '2' })
    cache.add({ ...base, prefix: 'a = ', text: '2' })
    expect(cache.lookup('p/f', 'a = ', '\n}').map((h) => h.rest)).toEqual(['2', '1'])
  })
})

describe('the adaptive debounce', () => {
  it('waits about twice the typing gap, within its bounds', () => {
    const fast = new AdaptiveDebounce()
    for (let t = 0; t < 2000; t += 40) fast.keystroke(t)
    expect(fast.delayMs()).toBe(MIN_DEBOUNCE_MS)
    const slow = new AdaptiveDebounce()
    for (let t = 0; t < 20_000; t += 700) slow.keystroke(t)
    expect(slow.delayMs()).toBe(MAX_DEBOUNCE_MS)
    const steady = new AdaptiveDebounce()
    for (let t = 0; t < 20_000; t += 150) steady.keystroke(t)
    expect(steady.delayMs()).toBe(300)
  })
})
