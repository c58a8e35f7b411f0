import { describe, expect, it, vi } from 'vitest'
import { WAIT, deadAddress, errorOf, newAi, newOllama, newProject, newUser } from './fixtures'
import { files } from '@mimiverse/db/schema'
import { eq } from 'drizzle-orm'
import { parseDocName } from '@mimiverse/shared'
import { FAST_SEARCH, appendEdit, newCountingEmbedder } from './search-fixtures'

const CORPUS: Record<string, string> = {
  'src/auth/session.ts': `import { createHash } from 'node:crypto'

/** What is stored instead of the bearer token. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
`,
  'src/math/matrix.ts': `export type Matrix = number[][]

export function multiplyMatrices(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, x, k) => sum + x * b[k]![j]!, 0)))
}
`,
  'src/net/retry.ts': `export async function retryWithBackoff<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  let delay = 100
  for (let i = 0; ; i += 1) {
    try {
      return await fn()
    } catch (e) {
      if (i + 1 >= attempts) throw e
      await new Promise((r) => setTimeout(r, delay))
      delay *= 2 // exponential backoff
    }
  }
}
`,
  'src/ui/colors.ts': `export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
`,
  'scripts/deploy.py': `import tarfile


def upload_release_archive(path, bucket):
    """Pack the build folder and upload it."""
    with tarfile.open(path, "w:gz") as tar:
        tar.add("dist")
    bucket.put(path)
`,
  'docs/intro.md': `# Introduction

Mimiverse is a collaborative editor. This page explains the session model and how colors are themed.
`,
}

/** `count` functions of about 50 lines each: one chunk per function. */
function longFile(count: number): string {
  return Array.from({ length: count }, (_, f) => {
    const body = Array.from({ length: 48 }, (_, i) => `  total += step${f}x${i}(input)`).join('\n')
    return `export function block${f}(input: number): number {\n  let total = 0\n${body}\n  return total\n}\n`
  }).join('\n')
}

async function newSearchAi(corpus: Record<string, string> = CORPUS) {
  const embedder = newCountingEmbedder()
  const ai = await newAi({
    env: { ...FAST_SEARCH, OLLAMA_HOST: `http://${await deadAddress()}` },
    overrides: { searchEmbeddings: embedder },
  })
  const owner = await newUser(ai.database, 'Owner')
  const project = await newProject(ai.database, owner.id, corpus)
  const n = Object.keys(corpus).length
  const client = ai.client(owner.token)
  await vi.waitFor(async () => {
    const status = await client.search.status.query({ projectId: project.projectId })
    expect(status).toMatchObject({ state: 'idle', files: n, indexedFiles: n, pending: 0 })
  }, WAIT)
  return { ai, embedder, owner, project, client }
}

describe('search.query', () => {
  it('ranks the right file first in each mode', async () => {
    const { client, project } = await newSearchAi()
    const top = async (q: string, mode: 'text' | 'vector' | 'hybrid') => {
      const { results } = await client.search.query.query({ projectId: project.projectId, q, mode })
      return results[0]?.path
    }
    expect(await top('hashSessionToken', 'text')).toBe('src/auth/session.ts')
    expect(await top('upload release archive', 'text')).toBe('scripts/deploy.py')
    expect(await top('multiply matrices', 'vector')).toBe('src/math/matrix.ts')
    expect(await top('exponential backoff retry', 'hybrid')).toBe('src/net/retry.ts')
    expect(await top('hex to rgb color', 'hybrid')).toBe('src/ui/colors.ts')
  })
})

describe('the live index', () => {
  it('re-embeds only the chunks whose content changed, and never the same content twice', async () => {
    const { ai, embedder, client, project } = await newSearchAi({
      'src/long.ts': longFile(3),
      'src/copy.ts': longFile(3),
    })
    const projectId = project.projectId
    const status = await client.search.status.query({ projectId })
    expect(status.chunks).toBe(6)
    expect(status.embeddingModel).toBe('local/hashed-ngrams-v2')
    // The two files hold the same three chunks: three texts embedded in all.
    expect(embedder.calls.flatMap((c) => c.texts)).toHaveLength(3)
    expect(Date.parse(status.indexedAt ?? '')).not.toBeNaN()
    embedder.calls.length = 0
    await appendEdit(ai.database, project.docs['src/long.ts']!, (text) => {
      const at = text.toString().indexOf('step1x20')
      text.insert(at, 'zanzibarQuokka + ')
    })
    await vi.waitFor(async () => {
      const { results } = await client.search.query.query({ projectId, q: 'zanzibarQuokka', mode: 'text' })
      expect(results.map((r) => r.path)).toEqual(['src/long.ts'])
      expect(results[0]).toMatchObject({ startLine: 54, endLine: 105 })
    }, WAIT)
    // The status says the index changed, which is when the IDE's search panel asks again.
    const after = await client.search.status.query({ projectId })
    expect(Date.parse(after.indexedAt!)).toBeGreaterThan(Date.parse(status.indexedAt!))
    const embedded = embedder.calls.flatMap((c) => c.texts)
    expect(embedded).toHaveLength(1)
    expect(embedded[0]).toContain('zanzibarQuokka')
    // Putting the old text back costs nothing: its embedding is cached.
    embedder.calls.length = 0
    await appendEdit(ai.database, project.docs['src/long.ts']!, (text) => {
      const at = text.toString().indexOf('zanzibarQuokka + ')
      text.delete(at, 'zanzibarQuokka + '.length)
    })
    await vi.waitFor(async () => {
      const { results } = await client.search.query.query({ projectId, q: 'zanzibarQuokka', mode: 'text' })
      expect(results).toEqual([])
    }, WAIT)
    expect(embedder.calls).toEqual([])
  })

  it('follows renames at once and forgets deleted files', async () => {
    const { ai, client, project } = await newSearchAi()
    const projectId = project.projectId
    const fileId = parseDocName(project.docs['src/ui/colors.ts']!)!.fileId
    await ai.database.db.update(files).set({ path: 'src/theme/palette.ts' }).where(eq(files.id, fileId))
    const { results } = await client.search.query.query({ projectId, q: 'hexToRgb', mode: 'text' })
    expect(results[0]?.path).toBe('src/theme/palette.ts')
    const scoped = await client.search.query.query({ projectId, q: 'hexToRgb', path: 'src/theme/' })
    expect(scoped.results.map((r) => r.path)).toEqual(['src/theme/palette.ts'])
    const elsewhere = await client.search.query.query({ projectId, q: 'hexToRgb', path: 'src/ui' })
    expect(elsewhere.results).toEqual([])
    const before = await client.search.status.query({ projectId })
    await ai.database.db.delete(files).where(eq(files.id, fileId))
    for (const mode of ['text', 'vector', 'hybrid'] as const) {
      const after = await client.search.query.query({ projectId, q: 'hexToRgb', mode })
      expect(after.results.map((r) => r.path)).not.toContain('src/theme/palette.ts')
    }
    const status = await client.search.status.query({ projectId })
    expect(status).toMatchObject({ files: 5, indexedFiles: 5, state: 'idle' })
    expect(status.chunks).toBeLessThan(before.chunks)
  })
})

describe('who may search', () => {
  it('lets members search, reviewers included, and refuses strangers and anonymous callers', async () => {
    const { ai, client, project } = await newSearchAi()
    const projectId = project.projectId
    const reviewer = await newUser(ai.database, 'Rita')
    await project.addMember(reviewer.id, 'reviewer')
    const stranger = await newUser(ai.database, 'Sam')
    const asReviewer = await ai.client(reviewer.token).search.query.query({ projectId, q: 'hexToRgb' })
    expect(asReviewer.results[0]?.path).toBe('src/ui/colors.ts')
    expect(await ai.client(reviewer.token).search.status.query({ projectId })).toMatchObject({ files: 6 })
    const q = { projectId, q: 'hexToRgb' }
    expect((await errorOf(ai.client(stranger.token).search.query.query(q)))?.code).toBe('FORBIDDEN')
    expect((await errorOf(ai.client(stranger.token).search.status.query({ projectId })))?.code).toBe(
      'FORBIDDEN',
    )
    expect((await errorOf(ai.client().search.query.query(q)))?.code).toBe('UNAUTHORIZED')
    expect((await errorOf(client.search.query.query({ ...q, projectId: 'nope' })))?.code).toBe('BAD_REQUEST')
  })
})

describe('hostile queries', () => {
  it('answers with results or a clear error, never a server error', async () => {
    const { client, project } = await newSearchAi()
    const projectId = project.projectId
    const odd = [
      `&|!():*<>'"\\`,
      "hexToRgb' | '",
      'hexToRgb:* & !session',
      '(((',
      "'; drop table files; --",
      '!!!',
      '...',
      '\u0000 hex',
      'émigré naïve 東京',
      Array.from({ length: 150 }, (_, i) => `word${i}`)
        .join(' ')
        .slice(0, 1000),
    ]
    for (const q of odd) {
      for (const mode of ['text', 'vector', 'hybrid'] as const) {
        const { results } = await client.search.query.query({ projectId, q, mode })
        expect(Array.isArray(results)).toBe(true)
      }
    }
    const hit = await client.search.query.query({ projectId, q: "hexToRgb' | '", mode: 'text' })
    expect(hit.results[0]?.path).toBe('src/ui/colors.ts')
    for (const q of ['', '   ', 'x'.repeat(1001)]) {
      const error = await errorOf(client.search.query.query({ projectId, q }))
      expect(error?.code).toBe('BAD_REQUEST')
      expect(error?.message).toMatch(/enter something|longer than 1000/)
    }
    const bad = await errorOf(client.search.query.query({ projectId, q: 'x', limit: 1000 }))
    expect(bad?.code).toBe('BAD_REQUEST')
  })
})

describe('@codebase in the chat', () => {
  it('puts the search results into the prompt', async () => {
    const ollama = await newOllama()
    const ai = await newAi({ env: { ...FAST_SEARCH, OLLAMA_HOST: ollama.url } })
    const owner = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, owner.id, CORPUS)
    const client = ai.client(owner.token)
    await vi.waitFor(async () => {
      expect(await client.search.status.query({ projectId })).toMatchObject({
        state: 'idle',
        indexedFiles: 6,
      })
    }, WAIT)
    const stream = await client.ai.chat.mutate({
      projectId,
      messages: [{ role: 'user', content: '@codebase where do we retry with exponential backoff?' }],
    })
    const events: unknown[] = []
    for await (const e of stream) events.push(e)
    expect(events[0]).toMatchObject({ type: 'context', codebase: 'included' })
    const sent = ollama.requests.find((r) => r.path === '/api/chat')!.body.messages as { content: string }[]
    const prompt = sent.map((m) => m.content).join('\n')
    expect(prompt).toContain('File src/net/retry.ts:1-12 (search result)')
    expect(prompt).toContain('delay *= 2 // exponential backoff')
  }, 60_000)
})
