import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MISPLACING_UPDATES, UNAPPLICABLE_UPDATE } from './testing'
import { updateProblem } from './update-check'

/** A small seeded generator (Park–Miller), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

/** A document with text, a deletion, a map, an array and a nested type, and updates of a second client on it. */
function history(): { base: Uint8Array; updates: Uint8Array[] } {
  const a = new Y.Doc()
  a.clientID = 1
  a.getText('content').insert(0, 'hello world, this is text')
  a.getText('content').delete(3, 4)
  const list = new Y.Array<unknown>()
  a.getMap('m').set('list', list)
  list.insert(0, [1, 2, new Y.Text('nested')])
  const base = Y.encodeStateAsUpdate(a)
  const b = new Y.Doc()
  b.clientID = 2
  Y.applyUpdate(b, base)
  const updates: Uint8Array[] = [base]
  b.on('update', (u: Uint8Array) => updates.push(u))
  const text = b.getText('content')
  text.insert(5, 'XYZ')
  text.delete(1, 2)
  b.getMap('m').set('k', 'w')
  text.insert(0, 'A')
  const nested = b.getMap('m').get('list') as Y.Array<unknown>
  nested.delete(0, 1)
  ;(nested.get(1) as Y.Text).insert(1, 'q')
  text.insert(8, 'a longer insertion')
  updates.push(Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  return { base, updates }
}

const throws = (apply: () => void) => {
  try {
    apply()
    return false
  } catch {
    return true
  }
}

/** Whether a document loaded from the re-encoded state of one that applied `update` reads differently. */
function placedElsewhereOnReload(update: Uint8Array): boolean {
  const live = new Y.Doc()
  Y.applyUpdate(live, update)
  const reloaded = new Y.Doc()
  Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(live))
  return reloaded.getText('content').toString() !== live.getText('content').toString()
}

describe('updateProblem', () => {
  it('refuses the update that decodes but throws when applied, and accepts what Yjs writes', () => {
    expect(() => Y.decodeUpdate(UNAPPLICABLE_UPDATE)).not.toThrow()
    expect(() => Y.applyUpdate(new Y.Doc(), UNAPPLICABLE_UPDATE)).toThrow('Unexpected case')
    expect(updateProblem(UNAPPLICABLE_UPDATE)).toMatch(/empty delete range/)
    expect(updateProblem(new Uint8Array([5, 200, 1, 7]))).toMatch(/does not decode/)
    for (const update of history().updates) expect(updateProblem(update)).toBeUndefined()
  })

  it('refuses an item whose right origin is not right of its origin: re-encoded, it lands elsewhere', () => {
    for (const update of MISPLACING_UPDATES) {
      const live = new Y.Doc()
      Y.applyUpdate(live, update)
      const reloaded = new Y.Doc()
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(live))
      expect(reloaded.getText('content').toString()).not.toBe(live.getText('content').toString())
      expect(updateProblem(update)).toMatch(
        /^item \d+:\d+ is not (right of its origin|left of its right origin)$/,
      )
    }
  })

  it('accepts concurrent insertions at one place, merged into one update as a reconnecting client sends them', () => {
    const clients = [11, 12, 13].map((clientID) => {
      const doc = new Y.Doc()
      doc.clientID = clientID
      Y.applyUpdate(doc, history().base)
      return doc
    })
    clients.forEach((doc, i) => {
      doc.getText('content').insert(4, `c${i}`.repeat(i + 1))
      doc.getText('content').insert(2, 'x')
      doc.getMap('m').set('k', i)
    })
    const merged = Y.mergeUpdates(clients.map((doc) => Y.encodeStateAsUpdate(doc)))
    expect(updateProblem(merged)).toBeUndefined()
    for (const doc of clients) Y.applyUpdate(doc, merged)
    expect(updateProblem(Y.encodeStateAsUpdate(clients[0]!))).toBeUndefined()
  })

  it('refuses delete ranges out of order or overlapping, and ids past 2^53', () => {
    const ranges = (...pairs: number[]) => {
      const e = [0, 1, 1, pairs.length / 2, ...pairs]
      return new Uint8Array(e)
    }
    expect(updateProblem(ranges(0, 3, 5, 1))).toBeUndefined()
    expect(updateProblem(ranges(5, 1, 0, 3))).toMatch(/out of order or overlapping/)
    expect(updateProblem(ranges(0, 3, 2, 1))).toMatch(/out of order or overlapping/)
    // One struct of client 1 at clock 2^55 (lib0 decodes 56 bits; re-encoded, it no longer decodes).
    const far = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]
    expect(updateProblem(new Uint8Array([1, 1, 1, ...far, 0, 1, 0]))).toMatch(/unsafe id/)
  })

  // Seeded fuzz: real updates with a few bytes changed. Applying to an empty document alone let about one in
  // two hundred of these through that then threw on a document with content (see update-check.ts).
  it('lets no mutated update through that throws on an empty document or on one with content', () => {
    const { base, updates } = history()
    const rnd = seeded(20_240_607)
    const escaped: string[] = []
    let accepted = 0
    for (let i = 0; i < 6000; i++) {
      const update = Uint8Array.from(updates[Math.floor(rnd() * updates.length)]!)
      for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) {
        update[Math.floor(rnd() * update.length)] = Math.floor(rnd() * (rnd() < 0.5 ? 256 : 8))
      }
      if (updateProblem(update) !== undefined) continue
      accepted += 1
      const live = new Y.Doc()
      Y.applyUpdate(live, base)
      const failed =
        throws(() => Y.applyUpdate(new Y.Doc(), update)) ||
        throws(() => {
          Y.applyUpdate(live, update)
          Y.encodeStateAsUpdate(live)
        })
      if (failed || placedElsewhereOnReload(update)) escaped.push(Buffer.from(update).toString('hex'))
    }
    expect(accepted).toBeGreaterThan(1000)
    expect(escaped).toEqual([])
  })
})
