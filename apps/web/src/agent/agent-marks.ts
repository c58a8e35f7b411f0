import * as Y from 'yjs'
import { AGENT_RUNS_FIELD, type AgentRunMark } from '@mimiverse/shared'

/**
 * Reads the `agentRuns` map of a file's document (packages/shared `agent-marks.ts`) into plain offsets of the
 * `content` text. The map is written by the agent service but travels through every client, so each entry is
 * read defensively and bounded: a malformed entry is skipped, never drawn.
 */

/** Bounds on what one document may make the editor draw. */
export const MAX_MARKS = 50
export const MAX_RANGES_PER_MARK = 200

/** A run's highlight as offsets into the text, `[start, end)`, in document order. */
export interface ResolvedMark {
  runId: string
  requester: string
  state: AgentRunMark['state']
  ranges: { start: number; end: number }[]
}

/** The map the agent writes into (created empty on first read, like every Yjs root type). */
export function agentRunsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(AGENT_RUNS_FIELD)
}

/** Validates one entry; null when it is not a mark this client understands. */
export function readMark(value: unknown): AgentRunMark | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Partial<Record<keyof AgentRunMark, unknown>>
  if (typeof v.runId !== 'string' || !v.runId || typeof v.requester !== 'string') return null
  if (v.state !== 'running' && v.state !== 'done') return null
  if (!Array.isArray(v.ranges)) return null
  const ranges = v.ranges.slice(0, MAX_RANGES_PER_MARK).filter(isRangeJson)
  return { runId: v.runId.slice(0, 64), requester: v.requester.slice(0, 80), state: v.state, ranges }
}

function isRangeJson(r: unknown): r is AgentRunMark['ranges'][number] {
  const x = r as { start?: unknown; end?: unknown } | null
  return typeof x?.start === 'object' && x.start !== null && typeof x.end === 'object' && x.end !== null
}

/** The offset a relative position points at in `text`, or null when it is not a position in `text`. */
export function resolvePosition(doc: Y.Doc, text: Y.Text, json: Record<string, unknown>): number | null {
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc)
    return abs && abs.type === text ? abs.index : null
  } catch {
    // Malformed JSON from another client: not drawable.
    return null
  }
}

/**
 * Every run's ranges as offsets, sorted by run id for a stable order. Ranges that collapsed (the text between
 * them was deleted) or point elsewhere are left out; a mark keeps its entry even without ranges, so a run
 * that has inserted nothing yet still counts.
 */
export function resolveMarks(doc: Y.Doc, text: Y.Text): ResolvedMark[] {
  const marks: ResolvedMark[] = []
  for (const [key, value] of agentRunsMap(doc)) {
    // The contract stores plain JSON; a nested Yjs type is read as its JSON all the same.
    const mark = readMark(value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value)
    if (!mark || mark.runId !== key) continue
    const ranges: ResolvedMark['ranges'] = []
    for (const r of mark.ranges) {
      const start = resolvePosition(doc, text, r.start)
      const end = resolvePosition(doc, text, r.end)
      if (start !== null && end !== null && end > start) ranges.push({ start, end })
    }
    ranges.sort((a, b) => a.start - b.start)
    marks.push({ runId: mark.runId, requester: mark.requester, state: mark.state, ranges })
    if (marks.length >= MAX_MARKS) break
  }
  return marks.sort((a, b) => a.runId.localeCompare(b.runId))
}
