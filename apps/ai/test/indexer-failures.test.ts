import { describe, expect, it } from 'vitest'
import { readDocumentTexts } from '@mimiverse/db'
import { documentUpdates } from '@mimiverse/db/schema'
import { newTestDatabase, UNAPPLICABLE_UPDATE } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { createMetrics } from '../src/services/metrics'
import type { EmbeddingService } from '../src/services/embeddings'
import { createIndexer } from '../src/services/search/indexer'
import { createSearchQueries } from '../src/services/search/query'
import { newProject, newUser, onCleanup } from './fixtures'
import { newCountingEmbedder } from './search-fixtures'

/** An indexer (not polling: the test calls `runOnce`) over a fresh database, and the search over it. */
async function newIndexer(seams: {
  readTexts?: (docNames: string[]) => Promise<Map<string, string>>
  embeddings?: EmbeddingService
}) {
  const database = await newTestDatabase()
  onCleanup(() => database.close())
  const logged: { level: string; msg: string; fileId?: string; doc?: string; error?: string }[] = []
  const log = createLogger('warn', {}, (line) => logged.push(JSON.parse(line) as (typeof logged)[number]))
  const metrics = createMetrics({ defaultMetrics: false })
  const embeddings = seams.embeddings ?? newCountingEmbedder()
  const indexer = createIndexer({
    db: database.db,
    embeddings,
    metrics,
    log,
    pollMs: 60_000,
    debounceMs: 0,
    maxWaitMs: 0,
    maxFileBytes: 100_000,
    maxChunksPerFile: 50,
    readTexts: seams.readTexts,
  })
  const search = createSearchQueries({ db: database.db, embeddings, metrics })
  const paths = async (projectId: string, q: string) =>
    (await search.query({ projectId, q, mode: 'text', limit: 10 })).results.map((r) => r.path)
  return { database, indexer, logged, paths }
}

/** Project A with a file that will fail and project B with a good one, in the same batch. */
async function twoProjects(database: Awaited<ReturnType<typeof newIndexer>>['database']) {
  const a = await newProject(database, (await newUser(database, 'Ada')).id, {
    'broken.ts': 'export const brokenThing = 1\n',
  })
  const b = await newProject(database, (await newUser(database, 'Bob')).id, {
    'good.ts': 'export function zebraCrossing(): number {\n  return 1\n}\n',
  })
  return { broken: a.docs['broken.ts']!, brokenFile: a.docs['broken.ts']!.split('/')[1]!, b }
}

describe('the search indexer and a file that fails', () => {
  it('indexes the other files of the batch when one file cannot be read, and backs off that one', async () => {
    let failing = ''
    const { database, indexer, logged, paths } = await newIndexer({
      readTexts: async (docNames) => {
        if (docNames.includes(failing)) throw new Error('the read of this file failed')
        return readDocumentTexts(database.db, docNames)
      },
    })
    const { broken, brokenFile, b } = await twoProjects(database)
    failing = broken
    expect(await indexer.runOnce()).toBe(2)
    expect(await paths(b.projectId, 'zebraCrossing')).toEqual(['good.ts'])
    // Logged once for this attempt, with the reason; retried only after a delay, not at the next poll.
    expect(logged.filter((l) => l.fileId === brokenFile)).toEqual([
      expect.objectContaining({ level: 'warn', error: 'the read of this file failed' }),
    ])
    expect(await indexer.runOnce()).toBe(0)
  })

  it('indexes a file whose log holds an update that cannot be applied, leaving that update out', async () => {
    const { database, indexer, logged, paths } = await newIndexer({})
    const { broken, b } = await twoProjects(database)
    await database.db.insert(documentUpdates).values({ docName: broken, update: UNAPPLICABLE_UPDATE })
    expect(await indexer.runOnce()).toBe(2)
    expect(await paths(b.projectId, 'zebraCrossing')).toEqual(['good.ts'])
    expect(await paths(broken.split('/')[0]!, 'brokenThing')).toEqual(['broken.ts'])
    expect(logged).toEqual([
      expect.objectContaining({ level: 'warn', doc: broken, seqs: [expect.any(Number)] }),
    ])
  })

  it('indexes the other files of the batch when the embedder refuses one file', async () => {
    const counting = newCountingEmbedder()
    const { database, indexer, logged, paths } = await newIndexer({
      embeddings: {
        embed: (texts, options) =>
          texts.some((t) => t.includes('brokenThing'))
            ? Promise.reject(new Error('the embedder refused a text'))
            : counting.embed(texts, options),
      },
    })
    const { brokenFile, b } = await twoProjects(database)
    expect(await indexer.runOnce()).toBe(2)
    expect(await paths(b.projectId, 'zebraCrossing')).toEqual(['good.ts'])
    expect(logged.filter((l) => l.fileId === brokenFile)).toEqual([
      expect.objectContaining({ level: 'warn', error: 'the embedder refused a text' }),
    ])
  })
})
