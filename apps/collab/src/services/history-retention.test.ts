import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { eq } from 'drizzle-orm'
import { newTestDatabase } from '@mimiverse/db/testing'
import {
  applyRetention,
  listVersions,
  versionBytes,
  versionStamps,
  VersionKind,
  type Database,
  type VersionKind as Kind,
} from '@mimiverse/db'
import { documentVersions } from '@mimiverse/db/schema'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { seededRandom } from '../testing/random'
import { HistoryRetention } from './history-retention'
import { VersionStore } from './versions'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 11, 6, 12)
const DOC = 'p/f'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

/**
 * A file edited over 120 days: a version every 8 hours in its first 118 days and every 30 minutes in its last
 * two, some of them named. Returns what each version opens to before any thinning.
 */
async function editedHistory(versions: VersionStore) {
  const rnd = seededRandom(7)
  const doc = new Y.Doc()
  const text = doc.getText(CONTENT_FIELD)
  const ages: number[] = []
  for (let age = 120 * DAY; age > 2 * DAY; age -= 8 * HOUR) ages.push(age)
  for (let age = 2 * DAY; age > 0; age -= 30 * 60_000) ages.push(age)
  const opened = new Map<string, { text: string; kind: Kind; age: number }>()
  for (const [i, age] of ages.entries()) {
    // Now and then most of the file goes, so the diffs outgrow it and new chains (checkpoints) start.
    if (i % 40 === 39) text.delete(0, text.length - 50)
    for (let k = 0; k < 20; k++) {
      if (text.length > 600 && rnd() < 0.6) text.delete(Math.floor(rnd() * (text.length - 20)), 20)
      else text.insert(Math.floor(rnd() * (text.length + 1)), `line ${i}.${k}: ${'text '.repeat(10)}\n`)
    }
    const kind = i % 97 === 0 ? VersionKind.Named : VersionKind.Auto
    const v = (await versions.take(DOC, doc, { kind, name: kind === VersionKind.Named ? `v${i}` : null }))!
    await database!.db
      .update(documentVersions)
      .set({ createdAt: new Date(NOW - age) })
      .where(eq(documentVersions.id, v.id))
    opened.set(v.id, { text: text.toString(), kind, age })
  }
  return { doc, opened }
}

describe('history retention', () => {
  it('thins old versions by the policy, and every kept version still opens to exactly what it was', async () => {
    database = await newTestDatabase()
    const versions = new VersionStore(database.db)
    const { doc, opened } = await editedHistory(versions)
    const stamps = await versionStamps(database.db, DOC)
    expect(stamps.filter((v) => v.checkpoint).length).toBeGreaterThan(1)
    const bytesBefore = await versionBytes(database.db, DOC)

    const retention = new HistoryRetention(
      { db: database.db, versions, log: createLogger('silent') },
      { keepAllMs: DAY, hourlyMs: 7 * DAY, retentionMs: 90 * DAY, intervalMs: HOUR },
    )
    const round = await retention.runOnce(NOW)
    expect(round.documents).toBe(1)

    const kept = await listVersions(database.db, DOC, 10_000)
    expect(round.removed).toBe(opened.size - kept.length)
    expect(round.removed).toBeGreaterThan(100)
    const keptIds = new Set(kept.map((v) => v.id))
    for (const [id, v] of opened) {
      if (v.kind === VersionKind.Named || v.age < DAY) expect(keptIds.has(id)).toBe(true)
      if (v.kind === VersionKind.Auto && v.age >= 90 * DAY) expect(keptIds.has(id)).toBe(false)
    }
    const daysOfKept = kept
      .filter((v) => v.kind === VersionKind.Auto && NOW - v.createdAt.getTime() >= 7 * DAY)
      .map((v) => Math.floor(v.createdAt.getTime() / DAY))
    expect(new Set(daysOfKept).size).toBe(daysOfKept.length)
    for (const v of kept) expect(await versions.text(DOC, v.seq)).toBe(opened.get(v.id)!.text)
    expect(await versionBytes(database.db, DOC)).toBeLessThan(bytesBefore)

    // The chain goes on from the kept versions: a new version opens to the live text.
    doc.getText(CONTENT_FIELD).insert(0, 'after thinning\n')
    const next = (await versions.take(DOC, doc, { kind: VersionKind.Auto }))!
    expect(await versions.text(DOC, next.seq)).toBe(doc.getText(CONTENT_FIELD).toString())

    // Nothing more to thin at the same time.
    expect(await retention.runOnce(NOW)).toEqual({ documents: 1, removed: 0 })
  })

  it('writes nothing when the versions changed after the plan was made (another node thinned them)', async () => {
    database = await newTestDatabase()
    const versions = new VersionStore(database.db)
    await editedHistory(versions)
    const planned = await versionStamps(database.db, DOC)
    const stale = { planned: planned.slice(1), remove: [planned[1]!.id], rewrite: [] }
    expect(await applyRetention(database.db, DOC, stale)).toBe(false)
    expect(await versionStamps(database.db, DOC)).toHaveLength(planned.length)
  })
})
