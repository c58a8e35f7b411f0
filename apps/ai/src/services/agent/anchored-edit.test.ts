import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from '@mimiverse/collab/testing'
import { AnchoredEdit } from './anchored-edit'
import { regionOf } from './item-ids'
import { StreamingDiff } from './streaming-diff'
import { docPair as pair } from '../../../test/doc-pair'

const AGENT = { agent: true }

describe('AnchoredEdit', () => {
  it('applies the edit; a human typing inside and outside the region keeps every keystroke; undo restores', () => {
    const before = 'function a() {\n  return 1\n}\nfunction b() {\n  return 2\n}\n'
    const { agent, a, h } = pair(before)
    const undo = new Y.UndoManager(a, { trackedOrigins: new Set([AGENT]), captureTimeout: Infinity })
    const start = before.indexOf('function a')
    const old = 'function a() {\n  return 1\n}'
    const edit = new AnchoredEdit(a, regionOf(a, { start, end: start + old.length }))
    const diff = new StreamingDiff(old)
    const next = 'function a(): number {\n  const x = 41\n  return x + 1\n}'
    let typed = 0
    for (const piece of next.match(/.{1,3}/gs)!) {
      agent.transact(() => edit.apply(diff.push(piece)), AGENT)
      // The human types inside the function being rewritten and in the other one.
      if (typed === 0 && h.toString().includes('x = 41')) {
        h.insert(h.toString().indexOf('return 1') + 'return'.length, ' H')
        h.insert(h.toString().indexOf('return 2'), 'Z')
        typed++
      }
    }
    agent.transact(() => edit.apply(diff.end()), AGENT)
    expect(typed).toBe(1)
    expect(a.toString()).toBe(h.toString())
    // The human's " H" was typed into a line the agent replaced: it survives, and so does the agent's text.
    expect(h.toString()).toContain(' H')
    expect(h.toString()).toContain('Zreturn 2')
    expect(h.toString().replace(' H', '')).toBe(next + '\nfunction b() {\n  Zreturn 2\n}\n')
    expect(edit.ranges().length).toBeGreaterThan(0)
    undo.undo()
    expect(h.toString()).toBe(before.replace('return 1', 'return H 1').replace('return 2', 'Zreturn 2'))
  })

  it('converges and yields the new text when nobody else types (seeded)', () => {
    const random = seededRandom(3)
    const lines = ['a', 'bb', '  c()', 'return d', '}', '{', '']
    const text = () =>
      Array.from({ length: 1 + Math.floor(random() * 8) }, () => lines[Math.floor(random() * 7)]).join('\n')
    for (let round = 0; round < 200; round++) {
      const head = 'HEAD\n'
      const old = text()
      const next = text()
      const { agent, a, h } = pair(head + old + '\nTAIL')
      const edit = new AnchoredEdit(a, regionOf(a, { start: head.length, end: head.length + old.length }))
      const diff = new StreamingDiff(old)
      for (const piece of next.match(/[^]{1,4}/g) ?? [])
        agent.transact(() => edit.apply(diff.push(piece)), AGENT)
      agent.transact(() => edit.apply(diff.end()), AGENT)
      expect(h.toString()).toBe(head + next + '\nTAIL')
    }
  })
})
