import { describe, expect, it } from 'vitest'
import { blameRuns, closestVersion, rollbackAuthors, type BlameLine, type Version } from './history-model'

const version = (id: string, createdAt: string): Version => ({ id, createdAt, kind: 'auto' }) as Version
const line = (n: number, name: string | null, at: string | null, author: BlameLine['author']): BlameLine => ({
  line: n,
  name,
  at,
  author,
})
const ann = { kind: 'user', userId: 'u1', runId: null } as const
const run = { kind: 'agent', userId: 'u1', runId: 'run-1' } as const

describe('history model', () => {
  it('finds the version closest in time', () => {
    const list = [version('a', '2026-01-01T10:00:00Z'), version('b', '2026-01-01T10:05:00Z')]
    expect(closestVersion(list, '2026-01-01T10:04:00Z')?.id).toBe('b')
    expect(closestVersion(list, '2026-01-01T09:00:00Z')?.id).toBe('a')
    expect(closestVersion([], '2026-01-01T09:00:00Z')).toBeNull()
  })

  it('labels a run of lines by one author once', () => {
    const t = '2026-01-01T10:00:00Z'
    const lines = [
      line(1, 'Ann', t, ann),
      line(2, 'Ann', t, ann),
      line(3, 'Bob', t, ann),
      line(4, null, null, null),
    ]
    expect(blameRuns(lines)).toEqual([
      { line: 1, length: 2, who: 'Ann', at: t },
      { line: 3, length: 1, who: 'Bob', at: t },
      { line: 4, length: 1, who: 'unknown (older than the records)', at: null },
    ])
  })

  it('lists each author once, as rollback inputs', () => {
    const lines = [line(1, 'Ann', null, ann), line(2, 'Mimi for Ann', null, run), line(3, 'Ann', null, ann)]
    expect(rollbackAuthors(lines).map((a) => a.author)).toEqual([
      { kind: 'user', userId: 'u1' },
      { kind: 'agent', runId: 'run-1' },
    ])
  })
})
