import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it, vi } from 'vitest'
import { fromPglite, migrate, openDatabase, type Database } from '@mimiverse/db'
import { newPostgresDatabase, testDatabaseUrl } from '@mimiverse/db/testing'
import { WAIT, deadAddress, errorOf, newAi, newProject, newUser, onCleanup } from './fixtures'
import { FAST_SEARCH, newCountingEmbedder } from './search-fixtures'

/**
 * Databases without pgvector: PGlite without the extension, and the real PostgreSQL server when
 * `TEST_DATABASE_URL` is set (CI's has none).
 */
const withoutPgvector: [string, () => Promise<Database>][] = [
  ['PGlite without pgvector', async () => fromPglite(await PGlite.create(), true)],
]
if (testDatabaseUrl) {
  withoutPgvector.push([
    'PostgreSQL server',
    async () => {
      const server = await newPostgresDatabase()
      onCleanup(server.close)
      return openDatabase({ url: server.url, poolSize: 4 })
    },
  ])
}

describe.each(withoutPgvector)('code search on a database without pgvector (%s)', (_name, open) => {
  it('indexes and finds by text, says what vector search needs, and is ready', async () => {
    const database = await open()
    onCleanup(() => database.close())
    expect(await migrate(database)).toMatchObject({ ready: false })
    const embedder = newCountingEmbedder()
    const ai = await newAi({
      database,
      env: { ...FAST_SEARCH, OLLAMA_HOST: `http://${await deadAddress()}` },
      overrides: { searchEmbeddings: embedder },
    })
    const owner = await newUser(database, 'Owner')
    const { projectId } = await newProject(database, owner.id, {
      'src/retry.ts': 'export async function retryWithBackoff() {\n  // exponential backoff\n}\n',
      'src/colors.ts': 'export function hexToRgb(hex: string) {\n  return hex\n}\n',
    })
    const client = ai.client(owner.token)
    await vi.waitFor(async () => {
      expect(await client.search.status.query({ projectId })).toMatchObject({
        state: 'idle',
        indexedFiles: 2,
        chunks: 2,
        embeddingModel: null,
        textOnly: expect.stringMatching(/^vector search needs pgvector: install it .*pgvector/),
      })
    }, WAIT)
    expect(embedder.calls).toEqual([]) // nothing is embedded that could not be stored

    for (const mode of ['text', 'hybrid'] as const) {
      const found = await client.search.query.query({ projectId, q: 'exponential backoff', mode })
      expect(found).toMatchObject({ mode, embeddingModel: null })
      expect(found.results[0]?.path).toBe('src/retry.ts')
    }
    expect(
      await errorOf(client.search.query.query({ projectId, q: 'backoff', mode: 'vector' })),
    ).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/^vector search needs pgvector: .*; try text search$/),
    })

    const ready = await fetch(`${ai.url}/ai/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      search: { mode: 'text', reason: expect.stringMatching(/^vector search needs pgvector/) },
    })
  })
})
