import { describe, expect, it } from 'vitest'
import { classifyRefusal, Refusal } from './refusal'

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
