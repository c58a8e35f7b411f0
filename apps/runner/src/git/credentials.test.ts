import { describe, expect, it } from 'vitest'
import { createCredentialBox } from './credentials'

const PROJECT = '0b5e8a52-52f3-4c33-9a57-1d1f3f0f6a01'
const OTHER = '7d0c5a1e-9a8e-4a57-8a44-6a3c1c2b9e02'

describe('createCredentialBox', () => {
  it('seals a token that only the same secret and project open', () => {
    const box = createCredentialBox('server secret one')
    const token = 'ghp_exampletoken1234567890'
    const sealed = box.seal(PROJECT, token)
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed).not.toContain(token)
    expect(box.seal(PROJECT, token)).not.toBe(sealed)
    expect(box.open(PROJECT, sealed)).toBe(token)
    expect(box.open(OTHER, sealed)).toBeNull()
    expect(createCredentialBox('server secret two').open(PROJECT, sealed)).toBeNull()
  })

  it('refuses a tampered or unknown value', () => {
    const box = createCredentialBox('s')
    const [v, iv, tag, data] = box.seal(PROJECT, 'token').split('.')
    const flipped = Buffer.from(data!, 'base64url')
    flipped[0]! ^= 1
    expect(box.open(PROJECT, [v, iv, tag, flipped.toString('base64url')].join('.'))).toBeNull()
    expect(box.open(PROJECT, 'v2.a.b.c')).toBeNull()
    expect(box.open(PROJECT, 'garbage')).toBeNull()
  })
})
