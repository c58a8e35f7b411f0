import { describe, expect, it } from 'vitest'
import { createSecretBox } from './secret-box'

const SECRET = 'a'.repeat(40)

describe('secret box', () => {
  it('opens what it sealed, for the same row only, and never stores the plain text', () => {
    const box = createSecretBox(SECRET)
    const sealed = box.seal('Bearer-token-123', 'row-1')
    expect(sealed).not.toContain('Bearer-token-123')
    expect(box.seal('Bearer-token-123', 'row-1')).not.toBe(sealed)
    expect(box.open(sealed, 'row-1')).toBe('Bearer-token-123')
    expect(box.open(sealed, 'row-2')).toBeNull()
    expect(createSecretBox('b'.repeat(40)).open(sealed, 'row-1')).toBeNull()
  })

  it('refuses a tampered value', () => {
    const box = createSecretBox(SECRET)
    const [v, n, t, body] = box.seal('secret', 'row').split('.')
    const flipped = `${body!.slice(0, -1)}${body!.endsWith('A') ? 'B' : 'A'}`
    expect(box.open([v, n, t, flipped].join('.'), 'row')).toBeNull()
    expect(box.open('garbage', 'row')).toBeNull()
  })
})
