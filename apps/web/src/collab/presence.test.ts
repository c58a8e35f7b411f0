import { describe, expect, it } from 'vitest'
import { AGENT_USER_ID, outsideAgentId } from '@mimiverse/shared'
import { colorFor } from './color'
import { aggregatePresence, readUser, type AwarenessSource } from './presence'

const source = (docName: string, entries: [number, Record<string, unknown>, number][]): AwarenessSource => ({
  docName,
  localClientId: 1,
  states: new Map(entries.map(([id, state]) => [id, state])),
  lastUpdated: (id) => entries.find(([c]) => c === id)?.[2] ?? 0,
})

describe('aggregatePresence', () => {
  const ann = { id: 'ann', name: 'Ann', color: 'red' }
  const bob = { id: 'bob', name: 'Bob', color: 'blue' }

  it('merges one person seen in several documents, keeping the freshest file', () => {
    const peers = aggregatePresence(
      [
        source('a', [
          [10, { user: bob, file: { docName: 'a', path: 'a.ts' } }, 5],
          [1, { user: ann }, 9],
        ]),
        source('b', [[11, { user: bob, file: { docName: 'b', path: 'b.ts' } }, 7]]),
      ],
      'ann',
    )
    expect(peers.map((p) => p.user.name)).toEqual(['Ann', 'Bob'])
    expect(peers[1]?.file).toEqual({ docName: 'b', path: 'b.ts' })
    expect(peers[1]?.clients).toEqual([
      { docName: 'a', clientId: 10 },
      { docName: 'b', clientId: 11 },
    ])
    expect(peers[0]?.isSelf).toBe(true)
  })

  it('ignores clients without a valid user and never trusts a peer-supplied colour', () => {
    expect(readUser({ user: { id: 3, name: 'x' } })).toBeNull()
    expect(readUser({ user: { id: 'x', name: 'X', color: 'red;}*{display:none' } })?.color).toMatch(/^hsl\(/)
    expect(aggregatePresence([source('a', [[2, {}, 1]])], 'ann')).toEqual([])
  })

  it("lists an outside agent apart from Mimi and its requester, under its own name and its id's colour", () => {
    const onBehalfOf = { id: 'ann', name: 'Ann' }
    const codex = { id: outsideAgentId('t-1', 'codex'), name: 'Codex (laptop)', color: 'red', onBehalfOf }
    const mimi = { id: AGENT_USER_ID, name: 'Mimi', color: '#c026d3', onBehalfOf }
    const peers = aggregatePresence(
      [
        source('a', [
          [1, { user: ann }, 1],
          [20, { user: codex, file: { docName: 'a', path: 'a.ts' } }, 2],
          [21, { user: mimi }, 3],
        ]),
      ],
      'ann',
    )
    expect(peers.map((p) => p.user.name)).toEqual(['Ann', 'Codex (laptop)', 'Mimi'])
    expect(peers[1]).toMatchObject({
      user: { id: codex.id, color: colorFor(codex.id) },
      file: { path: 'a.ts' },
      clients: [{ docName: 'a', clientId: 20 }],
    })
    expect(peers[1]!.user.color).not.toBe(peers[2]!.user.color)
  })
})
