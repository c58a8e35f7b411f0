import { AGENT_NAME } from '@mimiverse/shared'
import type { monaco } from '../editor/monaco-setup'
import type { ResolvedMark } from './agent-marks'

/** What the highlight of one range needs from a Monaco model (a fake in unit tests). */
export interface OffsetModel {
  getPositionAt(offset: number): monaco.IPosition
}

/** One highlighted stretch of text, in Monaco's 1-based lines and columns. */
export interface HighlightRange {
  runId: string
  state: ResolvedMark['state']
  range: monaco.IRange
  /** Markdown shown on hover: who asked, and what happens next. */
  hover: string
}

/** The hover text of a run's highlight, naming the person who asked. */
export function hoverText(mark: Pick<ResolvedMark, 'requester' | 'state'>): string {
  const who = escapeMarkdown(mark.requester || 'someone')
  return mark.state === 'running'
    ? `**${AGENT_NAME}** is editing here for ${who}…`
    : `**${AGENT_NAME}** edited this for ${who}: accept or undo it above the first change.`
}

/** Offsets to Monaco ranges, one per range of each mark. */
export function highlightRanges(model: OffsetModel, marks: ResolvedMark[]): HighlightRange[] {
  return marks.flatMap((mark) => {
    const hover = hoverText(mark)
    return mark.ranges.map(({ start, end }) => {
      const s = model.getPositionAt(start)
      const e = model.getPositionAt(end)
      const range = {
        startLineNumber: s.lineNumber,
        startColumn: s.column,
        endLineNumber: e.lineNumber,
        endColumn: e.column,
      }
      return { runId: mark.runId, state: mark.state, range, hover }
    })
  })
}

/** Where a run's actions sit: the start of its first range, or null while it has inserted nothing. */
export function anchorOf(model: OffsetModel, mark: ResolvedMark): monaco.IPosition | null {
  const first = mark.ranges[0]
  return first ? model.getPositionAt(first.start) : null
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`)
}
