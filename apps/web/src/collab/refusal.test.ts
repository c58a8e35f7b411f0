import { describe, expect, it } from 'vitest'
import { CloseCode } from '@mimiverse/shared'
import { classifyRefusal, closeNeedsFreshToken, Refusal } from './refusal'

describe('classifyRefusal', () => {
  it.each([
    ['no such file', Refusal.FileGone],
    ['not a member of this project', Refusal.NoAccess],
    ["document is not in this token's project", Refusal.NoAccess],
    ['collab token expired', Refusal.BadToken],
    ['invalid collab token signature', Refusal.BadToken],
    ['Failed to get token during sendToken(): TRPCClientError: fetch failed', Refusal.TokenUnavailable],
    ['permission-denied', Refusal.Other],
  ])('%s -> %s', (reason, expected) => {
    expect(classifyRefusal(reason)).toBe(expected)
  })
})

describe('closeNeedsFreshToken', () => {
  it('is true after a changed role or an ended session, not after other closes', () => {
    expect(closeNeedsFreshToken(CloseCode.AccessChanged)).toBe(true)
    expect(closeNeedsFreshToken(CloseCode.Unauthorized)).toBe(true)
    for (const code of [1000, 1006, CloseCode.Forbidden, CloseCode.TooMany]) {
      expect(closeNeedsFreshToken(code)).toBe(false)
    }
  })
})
