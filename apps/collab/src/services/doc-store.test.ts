import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { sql } from 'drizzle-orm'
import { newTestDatabase } from '@mimiverse/db/testing'
import type { Database } from '@mimiverse/db'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { seededRandom } from '../testing/random'
import { compactionPause, DocStore } from './doc-store'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

async function newStore(options?: ConstructorParameters<typeof DocStore>[2]) {
  database = await newTestDatabase()
  return new DocStore(database.db, createLogger('silent'), options)
}

/** Captures each local change of a fresh Y.Doc as its own update, as a provider would send them. */
function recordEdits(seed: number, count: number): { updates: Uint8Array[]; text: string } {
  const rnd = seededRandom(seed)
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const text = doc.getText(CONTENT_FIELD)
  for (let i = 0; i < count; i++) {
    if (text.length > 0 && rnd() < 0.3) text.delete(Math.floor(rnd() * text.length), 1)
    else text.insert(Math.floor(rnd() * (text.length + 1)), String.fromCharCode(97 + Math.floor(rnd() * 26)))
  }
  return { updates, text: text.toString() }
}

/** Resolves after `n` turns of the event loop (scheduling, not time). */
function turns(n: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)))
    step(n)
  })
}

describe('DocStore', () => {
  it('group-commits concurrent appends into few INSERTs and loses none', async () => {
    const store = await newStore({ maxBatchRows: 64 })
    const { updates, text } = recordEdits(7, 500)
    await Promise.all(updates.map((u) => store.append('doc', u)))
    expect(await store.readText('doc')).toBe(text)
    expect(await store.load('doc')).toHaveLength(updates.length)
    // Everything appended in one turn shares INSERTs, in full batches.
    expect(store.stats).toEqual({ batches: Math.ceil(updates.length / 64), rows: updates.length })
  })

  it('gathers appends that arrive within the commit window into the next INSERT', async () => {
    const store = await newStore({ commitIntervalMs: 300 })
    const { updates, text } = recordEdits(3, 11)
    const first = store.append('doc', updates[0]!)
    const rest: Promise<void>[] = []
    // One append per event-loop turn: without the window, each could start an INSERT of its own.
    for (const u of updates.slice(1)) {
      await turns(1)
      rest.push(store.append('doc', u))
    }
    await Promise.all([first, ...rest])
    expect(store.stats).toEqual({ batches: 2, rows: updates.length })
    expect(await store.readText('doc')).toBe(text)
  })

  it('compacts into one snapshot with the same text, keeping appends that race with it', async () => {
    const store = await newStore()
    const { updates, text } = recordEdits(11, 400)
    const half = updates.length / 2
    await Promise.all(updates.slice(0, half).map((u) => store.append('doc', u)))
    // The second half is appended while compaction runs.
    await Promise.all([store.compact('doc'), ...updates.slice(half).map((u) => store.append('doc', u))])
    await store.compact('doc')
    expect(await store.load('doc')).toHaveLength(1)
    expect(await store.readText('doc')).toBe(text)
  })

  it('loads every acknowledged edit even while a compaction commits in the middle of the load', async () => {
    const store = await newStore()
    const { updates, text } = recordEdits(5, 200)
    for (let round = 0; round < 20; round++) {
      const doc = `doc-${round}`
      await Promise.all(updates.map((u) => store.append(doc, u)))
      // Start the compaction 0–7 event-loop turns after the load, to land it between the load's two reads.
      const [loaded] = await Promise.all([
        store.readText(doc),
        turns(round % 8).then(() => store.compact(doc)),
      ])
      expect(loaded, `round ${round}`).toBe(text)
    }
  })

  it('compacts from memory with two nodes writing: deletes only rows the stored snapshot holds', async () => {
    database = await newTestDatabase()
    const log = createLogger('silent')
    const [nodeA, nodeB] = [new DocStore(database.db, log), new DocStore(database.db, log)]
    const [liveA, liveB] = [new Y.Doc(), new Y.Doc()]
    const a = recordEdits(3, 200).updates.slice(0, 150)
    const b = recordEdits(4, 200).updates
    const all = new Y.Doc()
    for (const u of [...a, ...b]) Y.applyUpdate(all, u)
    const expected = all.getText(CONTENT_FIELD).toString()
    const apply = (doc: Y.Doc, updates: Uint8Array[]) => updates.forEach((u) => Y.applyUpdate(doc, u))

    // Node A logs 150 updates in two INSERTs but applies only the first 140 (the last sender's socket closed
    // before Hocuspocus applied them); it has seen 100 of node B's updates so far (Redis lags).
    await Promise.all(a.slice(0, 140).map((u) => nodeA.append('doc', u)))
    await Promise.all(a.slice(140).map((u) => nodeA.append('doc', u)))
    await Promise.all(b.map((u) => nodeB.append('doc', u)))
    apply(liveA, [...a.slice(0, 140), ...b.slice(0, 100)])
    apply(liveB, b)

    expect(await nodeA.compactFromMemory('doc', liveA)).toBe(140)
    // B's snapshot must keep A's edits it never received: it folds A's stored snapshot in first.
    expect(await nodeB.compactFromMemory('doc', liveB)).toBe(b.length)
    expect(Y.snapshotContainsUpdate(Y.snapshot(liveB), Y.mergeUpdates(a.slice(0, 140)))).toBe(true)
    expect(await nodeA.compactFromMemory('doc', liveA)).toBe(0)
    expect(await nodeA.logRows('doc')).toBe(10)
    expect(await nodeA.readText('doc')).toBe(expected)

    apply(liveA, a.slice(140))
    expect(await nodeA.compactFromMemory('doc', liveA)).toBe(10)
    expect(await nodeA.load('doc')).toHaveLength(1)
    expect(await nodeA.readText('doc')).toBe(expected)
    expect(liveA.getText(CONTENT_FIELD).toString()).toBe(expected)
  })

  it("replaces a loaded document's snapshot in one statement, and in a transaction once another node wrote one", async () => {
    database = await newTestDatabase()
    const log = createLogger('silent')
    const [writer, node, other] = [
      new DocStore(database.db, log),
      new DocStore(database.db, log),
      new DocStore(database.db, log),
    ]
    const { updates, text } = recordEdits(5, 90)
    await Promise.all(updates.slice(0, 30).map((u) => writer.append('doc', u)))
    await writer.compact('doc')
    const live = new Y.Doc()
    await node.loadInto(live, 'doc')
    await Promise.all(
      updates.slice(30, 60).map((u) => node.append('doc', u).then(() => Y.applyUpdate(live, u))),
    )
    const transaction = vi.spyOn(database.db, 'transaction')
    expect(await node.compactFromMemory('doc', live)).toBe(30)
    expect(transaction).not.toHaveBeenCalled()

    // Another node stores a snapshot with edits this one has not seen: the next compaction must keep them.
    const elsewhere = new Y.Doc()
    await other.loadInto(elsewhere, 'doc')
    await Promise.all(
      updates.slice(60).map((u) => other.append('doc', u).then(() => Y.applyUpdate(elsewhere, u))),
    )
    await other.compactFromMemory('doc', elsewhere)
    transaction.mockClear()
    await node.compactFromMemory('doc', live)
    expect(transaction).toHaveBeenCalledTimes(1)
    expect(await node.readText('doc')).toBe(text)
    expect(live.getText(CONTENT_FIELD).toString()).toBe(text)
  })

  it('compacts from memory while appends race with it, keeping every row it does not hold', async () => {
    const store = await newStore()
    const live = new Y.Doc()
    const { updates, text } = recordEdits(9, 300)
    for (let round = 0; round < 10; round++) {
      const part = updates.slice(round * 30, round * 30 + 30)
      // Appended (and applied once committed, as Hocuspocus does) while the compaction runs.
      await Promise.all([
        turns(round % 4).then(() => store.compactFromMemory('doc', live)),
        ...part.map((u) => store.append('doc', u).then(() => Y.applyUpdate(live, u))),
      ])
      expect(await store.readText('doc'), `round ${round}`).toBe(live.getText(CONTENT_FIELD).toString())
    }
    await store.compactFromMemory('doc', live)
    expect(await store.load('doc')).toHaveLength(1)
    expect(await store.readText('doc')).toBe(text)
  })

  it('seeds initial text and removes a document', async () => {
    const store = await newStore()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, DocStore.initialState('seeded'))
    expect(doc.getText(CONTENT_FIELD).toString()).toBe('seeded')
    await store.append('doc', DocStore.initialState('x'))
    await store.remove('doc')
    expect(await store.load('doc')).toEqual([])
    expect(await store.compact('doc')).toBe(0)
  })

  it('rejects every append of a failed INSERT and keeps working afterwards', async () => {
    const store = await newStore()
    await database!.db.execute(sql`alter table document_updates rename to off`)
    await expect(store.append('doc', DocStore.initialState('a'))).rejects.toThrow()
    await database!.db.execute(sql`alter table off rename to document_updates`)
    await store.append('doc', DocStore.initialState('b'))
    expect(await store.readText('doc')).toBe('b')
  })

  it('paces live compactions only while appends flow, and never for longer than 5 s', () => {
    expect(compactionPause(40, true)).toBe(120)
    expect(compactionPause(40, false)).toBe(0)
    expect(compactionPause(4000, true)).toBe(5000)
  })
})
