import { describe, expect, it } from 'vitest'
import {
  clipInstruction,
  fixInstruction,
  MAX_INSTRUCTION_CHARS,
  rangeFromLines,
  rangeFromMarker,
  rangeFromSelection,
  rangeLabel,
} from './edit-request'

const at = (startLineNumber: number, startColumn: number, endLineNumber: number, endColumn: number) => ({
  startLineNumber,
  startColumn,
  endLineNumber,
  endColumn,
})

describe('edit requests', () => {
  it('sends a selection with its columns, a bare caret as its line', () => {
    expect(rangeFromSelection(at(2, 3, 4, 1))).toEqual({
      startLine: 2,
      startColumn: 3,
      endLine: 4,
      endColumn: 1,
    })
    expect(rangeFromSelection(at(5, 7, 5, 7))).toEqual({ startLine: 5, endLine: 5 })
  })

  it('builds a fix instruction from the marker in its own words', () => {
    const marker = { ...at(3, 5, 3, 6), message: "';' expected.", severity: 8, source: 'ts', code: '1005' }
    expect(fixInstruction(marker)).toBe("Fix this error on line 3: ';' expected. (ts 1005)")
    expect(
      fixInstruction({ ...marker, ...at(3, 1, 5, 2), severity: 4, source: undefined, code: undefined }),
    ).toBe("Fix this warning on lines 3–5: ';' expected.")
    expect(fixInstruction({ ...marker, code: { value: '2304' } })).toContain('(ts 2304)')
    expect(rangeFromMarker(marker)).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 6 })
  })

  it('keeps instructions within the service limit and lines in order', () => {
    expect(clipInstruction(`  ${'x'.repeat(MAX_INSTRUCTION_CHARS + 10)}  `)).toHaveLength(
      MAX_INSTRUCTION_CHARS,
    )
    expect(rangeFromLines({ startLine: 2, endLine: 9 })).toEqual({ startLine: 2, endLine: 9 })
    expect(rangeFromLines(undefined)).toBeUndefined()
    expect(rangeLabel({ startLine: 4, endLine: 4 })).toBe('line 4')
    expect(rangeLabel({ startLine: 3, startColumn: 2, endLine: 9 })).toBe('lines 3–9')
  })
})
