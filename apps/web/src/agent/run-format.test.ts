import { describe, expect, it } from 'vitest'
import {
  anyRunning,
  formatDuration,
  runActions,
  runChanges,
  runTiming,
  sortRuns,
  stateLabel,
  stateTone,
  type AgentRun,
} from './run-format'

function run(overrides: Partial<AgentRun>): AgentRun {
  return {
    runId: 'r',
    kind: 'edit',
    projectId: 'p',
    docName: 'p/f',
    path: 'src/main.ts',
    instruction: 'do it',
    requester: { id: 'u', name: 'Ann' },
    state: 'done',
    message: null,
    edits: 0,
    inserted: 0,
    deleted: 0,
    review: 'pending',
    createdAt: '2026-01-01T10:00:00.000Z',
    finishedAt: null,
    ...overrides,
  }
}

describe('run formatting', () => {
  it('names the state with the review, and offers the actions that fit', () => {
    expect(stateLabel(run({ state: 'running' }))).toBe('Running')
    expect(stateLabel(run({ review: 'pending' }))).toBe('Review pending')
    expect(stateLabel(run({ review: 'accepted' }))).toBe('Accepted')
    expect(stateLabel(run({ review: 'undone' }))).toBe('Undone')
    expect(stateLabel(run({ state: 'failed' }))).toBe('Failed')
    expect(stateTone(run({ state: 'cancelled' }))).toBe('muted')
    expect(stateTone(run({ state: 'failed' }))).toBe('bad')
    expect(runActions(run({ state: 'running' }))).toEqual(['cancel'])
    expect(runActions(run({ review: 'pending' }))).toEqual(['accept', 'undo'])
    expect(runActions(run({ review: 'accepted' }))).toEqual([])
    expect(runActions(run({ state: 'failed', review: 'pending' }))).toEqual([])
  })

  it('formats durations and timings', () => {
    expect(formatDuration(300)).toBe('<1 s')
    expect(formatDuration(12_400)).toBe('12 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(120_000)).toBe('2 min')
    expect(formatDuration(3_780_000)).toBe('1 h 3 min')
    const start = Date.parse('2026-01-01T10:00:00.000Z')
    expect(runTiming(run({}), start + 8000)).toMatch(/^started .+ · running for 8 s$/)
    expect(runTiming(run({ finishedAt: '2026-01-01T10:00:12.000Z' }), 0)).toMatch(/ · took 12 s$/)
    expect(runTiming(run({ createdAt: 'garbage' }), 0)).toBe('')
  })

  it('summarizes changes and orders running runs first, then the newest', () => {
    expect(runChanges(run({}))).toBeNull()
    expect(runChanges(run({ edits: 1, inserted: 5, deleted: 2 }))).toBe('1 edit · +5 −2 characters')
    const runs = [
      run({ runId: 'old', createdAt: '2026-01-01T09:00:00.000Z' }),
      run({ runId: 'new', createdAt: '2026-01-01T11:00:00.000Z' }),
      run({ runId: 'busy', state: 'running', createdAt: '2026-01-01T08:00:00.000Z' }),
    ]
    expect(sortRuns(runs).map((r) => r.runId)).toEqual(['busy', 'new', 'old'])
    expect(anyRunning(runs)).toBe(true)
    expect(anyRunning(null)).toBe(false)
  })
})
