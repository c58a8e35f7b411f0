import type { AiOutputs } from '../ai/ai-client'

/** How the IDE shows agent runs (the runs panel, the chat's run card): pure, unit-tested. */
export type AgentRun = AiOutputs['agent']['status']

/** One word or two for where a run stands, review included. */
export function stateLabel(run: Pick<AgentRun, 'state' | 'review'>): string {
  switch (run.state) {
    case 'running':
      return 'Running'
    case 'failed':
      return 'Failed'
    case 'cancelled':
      return 'Cancelled'
    case 'done':
      return run.review === 'accepted' ? 'Accepted' : run.review === 'undone' ? 'Undone' : 'Review pending'
  }
}

/** A CSS-friendly tone for the state badge. */
export function stateTone(run: Pick<AgentRun, 'state' | 'review'>): 'busy' | 'ok' | 'bad' | 'muted' {
  if (run.state === 'running') return 'busy'
  if (run.state === 'failed') return 'bad'
  if (run.state === 'cancelled' || run.review === 'undone') return 'muted'
  return 'ok'
}

/** "<1 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000)
  if (s < 1) return '<1 s'
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`
}

/** "started 14:03 · took 12 s", or "started 14:03 · running for 8 s" (clock time in the viewer's zone). */
export function runTiming(run: Pick<AgentRun, 'createdAt' | 'finishedAt'>, now: number): string {
  const started = Date.parse(run.createdAt)
  if (Number.isNaN(started)) return ''
  const clock = new Date(started).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : Number.NaN
  return Number.isNaN(finished)
    ? `started ${clock} · running for ${formatDuration(now - started)}`
    : `started ${clock} · took ${formatDuration(finished - started)}`
}

/** "3 edits · +120 −40 characters", or null before the first edit. */
export function runChanges(run: Pick<AgentRun, 'edits' | 'inserted' | 'deleted'>): string | null {
  if (run.edits === 0) return null
  return `${run.edits} ${run.edits === 1 ? 'edit' : 'edits'} · +${run.inserted} −${run.deleted} characters`
}

/** Running runs first, then the newest; the order the panel lists them in. */
export function sortRuns(runs: readonly AgentRun[]): AgentRun[] {
  return [...runs].sort(
    (a, b) =>
      Number(b.state === 'running') - Number(a.state === 'running') || b.createdAt.localeCompare(a.createdAt),
  )
}

export function anyRunning(runs: readonly Pick<AgentRun, 'state'>[] | null): boolean {
  return runs?.some((r) => r.state === 'running') ?? false
}

/** Which actions a run offers its reviewers: cancel while running, accept/undo while its review is pending. */
export function runActions(run: Pick<AgentRun, 'state' | 'review'>): ('cancel' | 'accept' | 'undo')[] {
  if (run.state === 'running') return ['cancel']
  if (run.state === 'done' && run.review === 'pending') return ['accept', 'undo']
  return []
}
