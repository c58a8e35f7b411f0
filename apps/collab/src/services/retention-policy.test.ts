import { describe, expect, it } from 'vitest'
import { VersionKind } from '@mimiverse/db'
import { versionsToKeep } from './retention-policy'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 11, 6, 12)
const policy = { keepAllMs: DAY, hourlyMs: 7 * DAY, retentionMs: 90 * DAY }

let seq = 0
const at = (ageMs: number, kind: VersionKind = VersionKind.Auto) => {
  seq++
  return { id: `v${seq}`, seq, kind, createdAt: new Date(NOW - ageMs) }
}

describe('versionsToKeep', () => {
  it('keeps all recent versions, the newest of each hour, then of each day, then none', () => {
    // Oldest first, as seqs are given.
    const tooOld = at(100 * DAY)
    // Two on one day thirty days ago: only the newer stays.
    const dayA = at(30 * DAY + 2 * HOUR)
    const dayB = at(30 * DAY + HOUR)
    // Two within one hour two days ago: only the newer stays.
    const hourA = at(2 * DAY + 50 * 60_000)
    const hourB = at(2 * DAY + 40 * 60_000)
    const recent = [at(3 * HOUR), at(2 * HOUR), at(HOUR)]
    const versions = [recent[1]!, tooOld, hourB, dayA, recent[0]!, dayB, hourA, recent[2]!]
    const keep = versionsToKeep(versions, NOW, policy)
    expect([...keep].sort()).toEqual([...recent, hourB, dayB].map((v) => v.id).sort())
  })

  it('always keeps named versions and the newest version, however old', () => {
    const named = at(400 * DAY, VersionKind.Named)
    const old = at(300 * DAY)
    const newest = at(200 * DAY, VersionKind.AgentAfter)
    const keep = versionsToKeep([newest, old, named], NOW, policy)
    expect([...keep].sort()).toEqual([named.id, newest.id].sort())
  })
})
