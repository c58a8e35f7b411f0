import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AGENT_RUNS_FIELD } from '@mimiverse/shared'
import { anchorOf, highlightRanges, hoverText, type OffsetModel } from './agent-decorations'
import { readMark, resolveMarks } from './agent-marks'

/** A document whose text holds `before + inserted + after`, with a mark around `inserted` (as the agent writes). */
function docWithMark(before: string, inserted: string, after: string) {
  const doc = new Y.Doc()
  const text = doc.getText('content')
  text.insert(0, before + after)
  text.insert(before.length, inserted)
  const rel = (i: number, assoc: number) =>
    Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, i, assoc)) as Record<string, unknown>
  const range = { start: rel(before.length, 0), end: rel(before.length + inserted.length, -1) }
  doc
    .getMap(AGENT_RUNS_FIELD)
    .set('run1', { runId: 'run1', requester: 'Ann', state: 'running', ranges: [range] })
  return { doc, text }
}

/** Line/column arithmetic over a plain string, as Monaco's model does it. */
function modelOf(text: Y.Text): OffsetModel {
  return {
    getPositionAt(offset) {
      const lines = text.toString().slice(0, offset).split('\n')
      return { lineNumber: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }
    },
  }
}

describe('agent marks', () => {
  it('resolves relative positions to the inserted text and follows edits around it', () => {
    const { doc, text } = docWithMark('a\nb', 'NEW', 'c\n')
    expect(resolveMarks(doc, text)).toEqual([
      { runId: 'run1', requester: 'Ann', state: 'running', ranges: [{ start: 3, end: 6 }] },
    ])
    text.insert(0, 'xx')
    text.insert(text.length, 'tail')
    expect(resolveMarks(doc, text)[0]?.ranges).toEqual([{ start: 5, end: 8 }])
    // Typing right after the agent's text is not the agent's.
    text.insert(8, 'me')
    expect(resolveMarks(doc, text)[0]?.ranges).toEqual([{ start: 5, end: 8 }])
  })

  it('drops a range whose text was deleted but keeps the mark', () => {
    const { doc, text } = docWithMark('a', 'NEW', 'b')
    text.delete(1, 3)
    expect(resolveMarks(doc, text)).toEqual([
      { runId: 'run1', requester: 'Ann', state: 'running', ranges: [] },
    ])
  })

  it('reads an entry stored as a nested Y.Map like its JSON', () => {
    const { doc, text } = docWithMark('a', 'NEW', 'b')
    const map = doc.getMap(AGENT_RUNS_FIELD)
    const plain = map.get('run1') as Record<string, unknown>
    const nested = new Y.Map<unknown>()
    map.set('run1', nested)
    for (const [k, v] of Object.entries(plain)) nested.set(k, v)
    expect(resolveMarks(doc, text)[0]?.ranges).toEqual([{ start: 1, end: 4 }])
  })

  it('skips malformed entries written by another client', () => {
    const { doc, text } = docWithMark('a', 'NEW', 'b')
    const map = doc.getMap(AGENT_RUNS_FIELD)
    map.set('bad1', 'not an object')
    map.set('bad2', { runId: 'bad2', requester: 'x', state: 'exploded', ranges: [] })
    map.set('bad3', { runId: 'other', requester: 'x', state: 'done', ranges: [] })
    map.set('bad4', {
      runId: 'bad4',
      requester: 'x',
      state: 'done',
      ranges: [{ start: { nonsense: 1 }, end: {} }],
    })
    const runIds = resolveMarks(doc, text).map((m) => [m.runId, m.ranges.length])
    expect(runIds).toEqual([
      ['bad4', 0],
      ['run1', 1],
    ])
    expect(
      readMark({ runId: 'r', requester: 'A', state: 'done', ranges: [{ start: null, end: {} }] }),
    ).toEqual({
      runId: 'r',
      requester: 'A',
      state: 'done',
      ranges: [],
    })
  })

  it('turns offsets into Monaco ranges with a hover naming who asked', () => {
    const { doc, text } = docWithMark('one\ntw', 'o\nthr', 'ee\n')
    const [mark] = resolveMarks(doc, text)
    const ranges = highlightRanges(modelOf(text), resolveMarks(doc, text))
    expect(ranges).toEqual([
      {
        runId: 'run1',
        state: 'running',
        range: { startLineNumber: 2, startColumn: 3, endLineNumber: 3, endColumn: 4 },
        hover: '**Mimi** is editing here for Ann…',
      },
    ])
    expect(anchorOf(modelOf(text), mark!)).toEqual({ lineNumber: 2, column: 3 })
    expect(hoverText({ requester: 'A_b*', state: 'done' })).toContain('for A\\_b\\*:')
  })
})
