import type { AiInputs } from '../ai/ai-client'
import type { monaco } from '../editor/monaco-setup'

/**
 * Builds `agent.edit` inputs from what the user pointed at: a selection (Ctrl/Cmd+K), an error marker ("fix
 * this") or the chat's attached lines. Pure, so the wording and the ranges are unit-tested.
 */
export type AgentEditInput = AiInputs['agent']['edit']
export type AgentEditRange = NonNullable<AgentEditInput['range']>

/** Limit of `agent.edit` (apps/ai/src/contracts/agent.ts); longer instructions are cut, not refused. */
export const MAX_INSTRUCTION_CHARS = 4000

/** The selection as an edit range; an empty selection (a bare caret) means the caret's line. */
export function rangeFromSelection(sel: monaco.IRange): AgentEditRange {
  const empty = sel.startLineNumber === sel.endLineNumber && sel.startColumn === sel.endColumn
  if (empty) return { startLine: sel.startLineNumber, endLine: sel.startLineNumber }
  return {
    startLine: sel.startLineNumber,
    startColumn: sel.startColumn,
    endLine: sel.endLineNumber,
    endColumn: sel.endColumn,
  }
}

/** The subset of Monaco's marker data the fix instruction reads. */
export interface MarkerLike extends monaco.IRange {
  message: string
  severity: number
  source?: string
  code?: string | { value: string }
}

/** Monaco's `MarkerSeverity` values (a runtime enum of the editor, repeated so this stays pure). */
const SEVERITY_WORD: Record<number, string> = { 8: 'error', 4: 'warning', 2: 'issue', 1: 'hint' }

/** "Fix this error on line 3: ';' expected. (ts 1005)" — the marker's own words, where it is. */
export function fixInstruction(marker: MarkerLike): string {
  const word = SEVERITY_WORD[marker.severity] ?? 'problem'
  const code = typeof marker.code === 'object' ? marker.code.value : marker.code
  const origin = [marker.source, code].filter(Boolean).join(' ')
  const where =
    marker.startLineNumber === marker.endLineNumber
      ? `line ${marker.startLineNumber}`
      : `lines ${marker.startLineNumber}–${marker.endLineNumber}`
  const text = `Fix this ${word} on ${where}: ${marker.message.trim()}${origin ? ` (${origin})` : ''}`
  return clipInstruction(text)
}

/** The marker's range as an edit range. */
export function rangeFromMarker(marker: monaco.IRange): AgentEditRange {
  return {
    startLine: marker.startLineNumber,
    startColumn: marker.startColumn,
    endLine: Math.max(marker.endLineNumber, marker.startLineNumber),
    endColumn: marker.endColumn,
  }
}

/** The chat's attached lines as an edit range (whole lines, as the chip shows them). */
export function rangeFromLines(lines: { startLine?: number; endLine?: number } | undefined) {
  if (!lines?.startLine || !lines.endLine) return undefined
  return { startLine: lines.startLine, endLine: Math.max(lines.endLine, lines.startLine) }
}

/** "line 4" / "lines 3–9". */
export function rangeLabel(range: AgentEditRange): string {
  return range.startLine === range.endLine
    ? `line ${range.startLine}`
    : `lines ${range.startLine}–${range.endLine}`
}

export function clipInstruction(s: string): string {
  const t = s.trim()
  return t.length > MAX_INSTRUCTION_CHARS ? t.slice(0, MAX_INSTRUCTION_CHARS) : t
}
