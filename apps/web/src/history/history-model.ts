import type { AuthorInput } from '@mimiverse/shared'
import type { ApiOutputs } from '../api/trpc'

/** A version of a file as `history.list` returns it (times are ISO strings on the wire). */
export type Version = ApiOutputs['history']['list'][number]
/** One line of `blame.get`. */
export type BlameLine = ApiOutputs['blame']['get'][number]

const KIND_LABELS: Record<Version['kind'], string> = {
  auto: 'Automatic',
  named: 'Named',
  'agent-before': 'Before agent run',
  'agent-after': 'After agent run',
  'before-restore': 'Before restore',
}

/** The version's kind as the timeline shows it. */
export function kindLabel(v: Version): string {
  return KIND_LABELS[v.kind]
}

/** Who the version is attributed to: its creator, the agent run, or nobody (automatic versions). */
export function versionAuthor(v: Version): string | null {
  if (v.runId) return `agent run ${v.runId.slice(0, 8)}${v.createdByName ? ` for ${v.createdByName}` : ''}`
  return v.createdByName
}

/** A one-line title for a version: its name if it has one, else its kind. */
export function versionTitle(v: Version): string {
  return v.name ?? kindLabel(v)
}

/** An author whose edits can be rolled back, with the label the menu shows. */
export interface RollbackAuthor {
  key: string
  label: string
  author: AuthorInput
}

/** The distinct authors of the blamed lines (people, agent runs, the workspace mirror), first seen first. */
export function rollbackAuthors(lines: BlameLine[]): RollbackAuthor[] {
  const seen = new Map<string, RollbackAuthor>()
  for (const { author, name } of lines) {
    const input = toAuthorInput(author)
    if (!input) continue
    const key = JSON.stringify(input)
    const label =
      input.kind === 'agent' ? `${name ?? 'agent'} (run ${input.runId.slice(0, 8)})` : (name ?? '?')
    if (!seen.has(key)) seen.set(key, { key, label, author: input })
  }
  return [...seen.values()]
}

function toAuthorInput(a: BlameLine['author']): AuthorInput | null {
  if (!a) return null
  if (a.kind === 'agent' && a.runId) return { kind: 'agent', runId: a.runId }
  if (a.kind === 'mirror') return { kind: 'mirror' }
  if (a.kind === 'user' && a.userId) return { kind: 'user', userId: a.userId }
  return null
}

/** The version taken closest in time to `at` (a blame entry's time), or null when there is none. */
export function closestVersion(versions: Version[], at: string | Date): Version | null {
  const t = new Date(at).getTime()
  let best: Version | null = null
  for (const v of versions)
    if (!best || Math.abs(Date.parse(v.createdAt) - t) < Math.abs(Date.parse(best.createdAt) - t)) best = v
  return best
}

/** A line of blame as the editor labels it: the first line of each run by one author at one time. */
export interface BlameRun {
  line: number
  /** Lines in the run (the label is on the first, the hover on each). */
  length: number
  who: string
  at: string | null
}

/** Groups consecutive lines written by the same author at the same time, so a paragraph is labelled once. */
export function blameRuns(lines: BlameLine[]): BlameRun[] {
  const runs: BlameRun[] = []
  for (const l of lines) {
    const who = l.name ?? 'unknown (older than the records)'
    const at = l.at ? String(l.at) : null
    const last = runs.at(-1)
    if (last && last.who === who && last.at === at && last.line + last.length === l.line) last.length++
    else runs.push({ line: l.line, length: 1, who, at })
  }
  return runs
}
