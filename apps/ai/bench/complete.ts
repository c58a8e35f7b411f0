/**
 * `npm run bench:complete`: what our own inline-completion path costs, with the model replaced by the loopback
 * Ollama double answering at once (so the figures are ours, not the model's).
 *
 * 1. Added time: `ai.complete` over real HTTP (tRPC client -> handler -> auth, membership, rate limit, open
 *    files' text, prompt, Ollama stream -> post-processing -> response), each request a new cursor text (a cache
 *    miss), with 20 other open files. Per request: wall time at the client minus `modelMs` (the time the
 *    service waited for the model stream, measured on the server).
 * 2. Cache hit: the same request repeated (served from the completion cache, no model call), wall time.
 * 3. Request floor: a `reuseOnly` probe with nothing in flight (HTTP, tRPC, session, membership, rate limit; no
 *    cache, no model): what every request pays before any completion work, to read 1 and 2 against.
 * 4. Prompt building: the pure function for a 5,000-line file with 20 open files of 1,000 lines each.
 * The last line is one JSON object.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newTestDatabase } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { parseEnv } from '../src/env'
import { createAiHandler } from '../src/handler'
import { renderQwenContext, selectContext } from '../src/services/completion-context'
import { buildFim } from '../src/services/fim'
import { newOllamaDouble } from '../test/doubles/ollama-double'
import { aiClient, newProject, newUser } from '../test/seed'

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400)
const WARMUP = 30
const OPEN_FILES = 20

const sourceFile = (lines: number, seed: string) =>
  Array.from(
    { length: lines },
    (_, i) => `  const ${seed}${i} = compute${i % 37}(total, amount${i % 11}) // line ${i}`,
  ).join('\n')

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
}
const round = (x: number) => Math.round(x * 1000) / 1000

async function main() {
  const ollama = await newOllamaDouble({ chunks: ['total + 1'] })
  const database = await newTestDatabase()
  const env = parseEnv({
    OLLAMA_HOST: ollama.url,
    AI_WARMUP: 'false',
    LOG_LEVEL: 'silent',
    AI_COMPLETE_PER_MINUTE: '100000',
  })
  const handler = createAiHandler({ env, database, log: createLogger('silent'), processMetrics: false })
  const server = createServer((req, res) => handler.handle(req, res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const user = await newUser(database, 'Bench')
    const texts: Record<string, string> = { 'src/main.ts': sourceFile(5000, 'main') }
    for (let i = 0; i < OPEN_FILES; i++) texts[`src/open${i}.ts`] = sourceFile(1000, `o${i}_`)
    const { projectId, docs } = await newProject(database, user.id, texts)
    // Steady state: the project is indexed for code search (search hits are part of the prompt) before any
    // request is timed, so the indexer's initial work does not compete with the requests.
    const t0 = performance.now()
    while ((await handler.services.search.status(projectId)).indexedFiles < Object.keys(texts).length) {
      await new Promise((r) => setTimeout(r, 50))
    }
    console.log(
      `indexed ${Object.keys(texts).length} files for code search in ${Math.round(performance.now() - t0)} ms`,
    )
    const api = aiClient(url, user.token).ai
    await handler.services.completion.warmUp()
    const main = texts['src/main.ts']!
    const openFiles = Object.entries(docs)
      .filter(([p]) => p !== 'src/main.ts')
      .map(([, d]) => d)
    const at = Math.floor(main.length / 2)
    const input = (i: number) => ({
      docName: docs['src/main.ts']!,
      path: 'src/main.ts',
      prefix: `${main.slice(Math.max(0, at - 4000), at)}\n  const x${i} = compute(`,
      suffix: main.slice(at, at + 1000),
      openFiles,
      recentEdits: [{ path: 'src/other.ts', text: 'const amount = total * rate' }],
    })

    const added: number[] = []
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const t0 = performance.now()
      const r = await api.complete.mutate(input(i))
      const wall = performance.now() - t0
      if (r.cached) throw new Error('expected a cache miss')
      if (i >= WARMUP) added.push(wall - r.modelMs)
    }
    const hits: number[] = []
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const t0 = performance.now()
      const r = await api.complete.mutate(input(0))
      if (!r.cached) throw new Error('expected a cache hit')
      if (i >= WARMUP) hits.push(performance.now() - t0)
    }
    const floor: number[] = []
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const t0 = performance.now()
      await api.complete.mutate({ ...input(i), reuseOnly: true })
      if (i >= WARMUP) floor.push(performance.now() - t0)
    }
    const prompt: number[] = []
    const open = Object.entries(texts).map(([path, text]) => ({ path, text }))
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now()
      const ctx = selectContext({ prefix: main.slice(0, at), recent: [], search: [], open, budget: 2048 })
      buildFim(
        { prefix: main.slice(0, at), suffix: main.slice(at), path: 'src/main.ts' },
        'raw',
        renderQwenContext('p', ctx),
      )
      prompt.push(performance.now() - t0)
    }
    const result = {
      requests: REQUESTS,
      openFiles: OPEN_FILES,
      addedP50Ms: round(percentile(added, 0.5)),
      addedP99Ms: round(percentile(added, 0.99)),
      cacheHitP50Ms: round(percentile(hits, 0.5)),
      cacheHitP99Ms: round(percentile(hits, 0.99)),
      requestFloorP50Ms: round(percentile(floor, 0.5)),
      requestFloorP99Ms: round(percentile(floor, 0.99)),
      promptBuildP50Ms: round(percentile(prompt, 0.5)),
      promptBuildP99Ms: round(percentile(prompt, 0.99)),
    }
    console.log(
      `added time (our path, model excluded): p50 ${result.addedP50Ms} ms, p99 ${result.addedP99Ms} ms`,
    )
    console.log(
      `cache hit (request to response):       p50 ${result.cacheHitP50Ms} ms, p99 ${result.cacheHitP99Ms} ms`,
    )
    console.log(
      `request floor (auth, no completion work): p50 ${result.requestFloorP50Ms} ms, p99 ${result.requestFloorP99Ms} ms`,
    )
    console.log(
      `prompt building (5,000 lines, 20 open): p50 ${result.promptBuildP50Ms} ms, p99 ${result.promptBuildP99Ms} ms`,
    )
    console.log(JSON.stringify(result))
  } finally {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    await handler.close()
    await database.close()
    await ollama.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
