import { sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { documentUpdates } from '@mimiverse/db/schema'
import { pruneEmbeddings, rowsOf } from '../src/services/search/store'
import { WAIT, deadAddress, newAi, newOllama, newProject, newUser } from './fixtures'
import { FAST_SEARCH, appendEdit, newCountingEmbedder } from './search-fixtures'

const queue = (ai: { database: { db: Parameters<typeof rowsOf>[0] } }) =>
  rowsOf<{ file_id: string; generation: number }>(
    ai.database.db,
    sql`select file_id, generation from search_queue order by file_id`,
  )

describe('the search queue (triggers on the document log)', () => {
  it('queues each changed file once per statement and never fails a write of the log', async () => {
    const ai = await newAi() // indexer off: the queue only fills
    const owner = await newUser(ai.database)
    const { docs } = await newProject(ai.database, owner.id, { 'a.ts': 'let a = 1\n', 'b.ts': 'let b = 2\n' })
    // Creating the files (their seeded snapshots) queued them.
    expect(await queue(ai)).toHaveLength(2)
    await ai.database.db.execute(sql`delete from search_queue`)
    const update = Y.encodeStateAsUpdate(new Y.Doc())
    // One group-commit batch: two rows of a.ts, one of b.ts, one name that is not a file's.
    await ai.database.db.insert(documentUpdates).values([
      { docName: docs['a.ts']!, update },
      { docName: docs['a.ts']!, update },
      { docName: docs['b.ts']!, update },
      { docName: 'not-a-project/../x', update },
    ])
    expect((await queue(ai)).map((r) => Number(r.generation))).toEqual([0, 0])
    await appendEdit(ai.database, docs['a.ts']!, (t) => t.insert(0, '// hi\n'))
    expect((await queue(ai)).map((r) => Number(r.generation)).sort()).toEqual([0, 1])
  })

  it('resumes after a restart: queued files, files never indexed, and claims of a crashed indexer', async () => {
    const embedder = newCountingEmbedder()
    const first = await newAi({ overrides: { searchEmbeddings: embedder } }) // indexer off
    const owner = await newUser(first.database)
    const { projectId, docs } = await newProject(first.database, owner.id, {
      'queued.ts': 'export const queuedThing = 1\n',
      'claimed.ts': 'export const claimedThing = 2\n',
      'unqueued.ts': 'export const forgottenThing = 3\n',
    })
    const client = first.client(owner.token)
    expect(await client.search.status.query({ projectId })).toMatchObject({
      files: 3,
      indexedFiles: 0,
      pending: 3,
      state: 'indexing',
    })
    // A crashed replica's claim (expired lease) and a file whose queue row was lost.
    await first.database.db.execute(
      sql`update search_queue set claimed_until = now() - interval '1 second', attempts = 1
          where file_id = ${docs['claimed.ts']!.split('/')[1]!}`,
    )
    await first.database.db.execute(
      sql`delete from search_queue where file_id = ${docs['unqueued.ts']!.split('/')[1]!}`,
    )
    const second = await newAi({
      database: first.database,
      env: { ...FAST_SEARCH, OLLAMA_HOST: `http://${await deadAddress()}` },
      overrides: { searchEmbeddings: embedder },
    })
    const status = () => second.client(owner.token).search.status.query({ projectId })
    await vi.waitFor(async () => {
      expect(await status()).toMatchObject({
        files: 3,
        indexedFiles: 3,
        pending: 0,
        chunks: 3,
        state: 'idle',
      })
    }, WAIT)
    // The embedding cache keeps what chunks use; an unused vector goes once it is a week old.
    await second.database.db.execute(
      sql`insert into search_embeddings (model, content_hash, embedding, created_at)
          values ('local/hashed-ngrams-v2', 'gone', '[1,0]', now() - interval '8 days'),
                 ('local/hashed-ngrams-v2', 'recent', '[1,0]', now())`,
    )
    await second.database.db.execute(sql`update search_embeddings set created_at = now() - interval '8 days'`)
    expect(await pruneEmbeddings(second.database.db, 7)).toBe(2) // 'gone' and 'recent' (aged above)
    const cached = await rowsOf<{ n: number }>(
      second.database.db,
      sql`select count(*)::int as n from search_embeddings`,
    )
    expect(Number(cached[0]!.n)).toBe(3) // the three chunks' vectors stay
    for (const [q, path] of [
      ['queuedThing', 'queued.ts'],
      ['claimedThing', 'claimed.ts'],
      ['forgottenThing', 'unqueued.ts'],
    ] as const) {
      const { results } = await second.client(owner.token).search.query.query({ projectId, q, mode: 'text' })
      expect(results[0]?.path).toBe(path)
    }
  })

  it('embeds with the model backend when one answers, and tags the vectors with its model', async () => {
    const ollama = await newOllama()
    const ai = await newAi({ env: { ...FAST_SEARCH, OLLAMA_HOST: ollama.url } })
    const owner = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, owner.id, { 'a.ts': 'export const alpha = 1\n' })
    await vi.waitFor(async () => {
      expect(await ai.client(owner.token).search.status.query({ projectId })).toMatchObject({
        state: 'idle',
        chunks: 1,
        embeddingModel: 'ollama/nomic-embed-text',
      })
    }, WAIT)
    const embeds = ollama.requests.filter((r) => r.path === '/api/embed')
    expect(embeds.map((r) => r.body.input)).toEqual([['search_document: export const alpha = 1']])
    const { results, embeddingModel } = await ai
      .client(owner.token)
      .search.query.query({ projectId, q: 'alpha', mode: 'vector' })
    expect(embeddingModel).toBe('ollama/nomic-embed-text')
    expect(results.map((r) => r.path)).toEqual(['a.ts'])
  })
})
