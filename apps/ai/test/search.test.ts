import { describe, expect, it, vi } from 'vitest'
import { WAIT, deadAddress, errorOf, newAi, newProject, newUser } from './fixtures'
import { FAST_SEARCH, newCountingEmbedder } from './search-fixtures'

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

async function newSearchAi() {
  const embedder = newCountingEmbedder()
  const ai = await newAi({
    env: { ...FAST_SEARCH, OLLAMA_HOST: `http://${await deadAddress()}` },
    overrides: { searchEmbeddings: embedder },
  })
  const owner = await newUser(ai.database, 'Owner')
  const project = await newProject(ai.database, owner.id, CORPUS)
  const client = ai.client(owner.token)
  await vi.waitFor(async () => {
    const status = await client.search.status.query({ projectId: project.projectId })
    expect(status).toMatchObject({ state: 'idle', files: 6, indexedFiles: 6, pending: 0 })
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
