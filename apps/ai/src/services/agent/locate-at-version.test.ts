import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom } from '@mimiverse/collab/testing'
import { docPair } from '../../../test/doc-pair'
import { AnchoredEdit } from './anchored-edit'
import type { Collaborators } from './deletion-authors'
import { DocumentVersion, type Located } from './locate-at-version'
import { StreamingDiff } from './streaming-diff'

const BEFORE = 'head\nfunction a() {\n  return 1\n}\ntail\n'
const QUOTE = 'function a() {\n  return 1\n}'
const AGENT = { agent: true }

/** Awareness as the agent sees it: names by client id and the cursors the test sets. */
function awareness(names: Record<number, string>) {
  const cursors: ReturnType<Collaborators['cursors']> = []
  const who: Collaborators = { nameOf: (id) => names[id], cursors: () => cursors }
  return { who, cursors }
}

/** Applies a whole old→new rewrite of a located region as the agent. */
function rewrite(doc: Y.Doc, found: Located, next: string): void {
  if (found.found !== 'live') throw new Error(`not located: ${JSON.stringify(found)}`)
  const edit = new AnchoredEdit(doc.getText('content'), found.region)
  const diff = new StreamingDiff(found.old)
  doc.transact(() => edit.apply([...diff.push(next), ...diff.end()]), AGENT)
}

describe('DocumentVersion', () => {
  it('carries the quote onto the live text by ids: typing inside it and lines removed or added above only move it', () => {
    const { agent, a, h } = docPair(BEFORE)
    const version = DocumentVersion.capture(a, awareness({}).who, 'Mimi')
    // After the prompt was built, before the quote is located: typing inside it, a line deleted and one added.
    h.insert(h.toString().indexOf('return 1') + 'return'.length, ' X')
    h.delete(0, 'head\n'.length)
    h.insert(0, 'import z\n')
    expect(a.toString()).not.toContain(QUOTE)

    rewrite(agent, version.locate(QUOTE), 'function a(): number {\n  return 2\n}')
    expect(h.toString()).toBe('import z\nfunction a(): number {\n  return X 2\n}\ntail\n')
    version.close()
  })

  it('finds only what the version had, inside the given window', () => {
    const { a, h } = docPair(BEFORE)
    const version = DocumentVersion.capture(a, awareness({}).who, 'Mimi')
    h.insert(0, 'function b() {}\n')
    expect(version.locate('function b() {}').found).toBe('absent')
    expect(version.locate('return 1', { start: 0, end: 10 }).found).toBe('absent')
    expect(version.locate('return 1', { start: 10, end: BEFORE.length }).found).toBe('live')
    version.close()
  })

  it('says a quote is gone when someone deleted part of it, naming the lines and who', () => {
    const line = '  return 1\n'
    const cases: {
      name: string
      act: (d: ReturnType<typeof docPair>, cursors: ReturnType<Collaborators['cursors']>) => void
      by: string
    }[] = [
      {
        name: 'a deletion where a cursor is: its owner',
        act: ({ h }, cursors) => {
          const at = h.toString().indexOf(line)
          const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(h, at + 4))
          cursors.push({ clientId: h.doc!.clientID, anchor: caret, head: caret })
          h.delete(at, line.length)
        },
        by: 'Bob',
      },
      {
        name: 'typing over the text: the one who typed',
        act: ({ human, h }) =>
          human.transact(() => {
            const at = h.toString().indexOf(line)
            h.delete(at, line.length)
            h.insert(at, '  return 0\n')
          }),
        by: 'Bob',
      },
      {
        name: 'a deletion nobody can be tied to',
        act: ({ h }) => h.delete(h.toString().indexOf(line), line.length),
        by: 'another collaborator',
      },
      {
        name: "the agent's own earlier change",
        act: ({ a }) => a.delete(a.toString().indexOf(line), line.length),
        by: 'Mimi',
      },
    ]
    for (const c of cases) {
      const pair = docPair(BEFORE)
      const { who, cursors } = awareness({ [pair.human.clientID]: 'Bob' })
      const version = DocumentVersion.capture(pair.a, who, 'Mimi')
      c.act(pair, cursors)
      expect(version.locate(QUOTE), c.name).toEqual({
        found: 'gone',
        reason: `the text it quoted at line 3 ("  return 1") was deleted by ${c.by} while the model was answering`,
      })
      version.close()
    }
  })

  it('names a range of lines, and ignores malformed cursors from other clients', () => {
    const { agent, a, h } = docPair(BEFORE)
    const { who, cursors } = awareness({})
    cursors.push(
      { clientId: 7, anchor: 'x', head: null },
      { clientId: 8, anchor: { item: { client: 'x', clock: -1 } }, head: { item: { client: 1, clock: -5 } } },
      { clientId: 9, anchor: { tname: 'evil', item: null }, head: { item: { client: 2 ** 60, clock: 0 } } },
    )
    const version = DocumentVersion.capture(a, who, 'Mimi')
    h.delete(h.toString().indexOf('{\n'), '{\n  return'.length)
    const found = version.locate(QUOTE)
    expect(found).toEqual({
      found: 'gone',
      reason:
        'the text it quoted at lines 2-3 ("function a() {") was deleted by another collaborator while the model was answering',
    })
    expect(agent.share.has('evil')).toBe(false)
    version.close()
  })

  it('keeps every keystroke and yields the new text, whatever is typed before and while it edits (seeded)', () => {
    const random = seededRandom(11)
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!
    const lines = ['a', 'bb', '  c()', 'return d', '}', '{']
    const text = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(lines)).join('\n')
    for (let round = 0; round < 200; round++) {
      const head = 'h1\nh2\n'
      const [old, next] = [text(), text()]
      const { agent, a, h } = docPair(`${head}${old}\nTAIL`)
      const version = DocumentVersion.capture(a, awareness({}).who, 'Mimi')
      const typeSomewhere = () => h.insert(Math.floor(random() * (h.length + 1)), '§')
      h.delete(0, 'h1\n'.length)
      h.insert(0, 'new\n')
      for (let k = Math.floor(random() * 5); k > 0; k--) typeSomewhere()

      const found = version.locate(old)
      if (found.found !== 'live') throw new Error(`round ${round}: ${JSON.stringify(found)}`)
      const edit = new AnchoredEdit(a, found.region)
      const diff = new StreamingDiff(found.old)
      for (const piece of next.match(/[^]{1,3}/g) ?? []) {
        agent.transact(() => edit.apply(diff.push(piece)), AGENT)
        if (random() < 0.3) typeSomewhere()
      }
      agent.transact(() => edit.apply(diff.end()), AGENT)
      expect(a.toString()).toBe(h.toString())
      expect(h.toString().replaceAll('§', ''), `round ${round}`).toBe(`new\nh2\n${next}\nTAIL`)
      version.close()
    }
  })
})
