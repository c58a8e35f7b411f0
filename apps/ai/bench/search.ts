import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { migrate, openDatabase, type Database } from '@mimiverse/db'
import { newTempDir } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { parseEnv } from '../src/env'
import { createServices } from '../src/services/index'
import { loadCorpus } from './corpus'
import { editToSearchable } from './live'
import { evaluate, indexAll, seedCorpus } from './relevance'

/**
 * `npm run bench:search`: relevance, indexing throughput and edit-to-searchable time of code search, with the
 * built-in embedder (no model is reachable: Ollama's address is a closed port). Corpus: the documented
 * functions of VS Code's editor core as shipped in `monaco-editor` (`esm/vs/base`, `esm/vs/editor/common`).
 * The last line is one JSON object.
 */
const CORPUS_DIRS = ['esm/vs/base', 'esm/vs/editor/common']
const TRIALS = Number(process.env.BENCH_TRIALS ?? 20)
/** Queries evaluated per mode (default: every function of the corpus). */
const QUERIES = Number(process.env.BENCH_QUERIES ?? Number.POSITIVE_INFINITY)

async function deadOllama(): Promise<string> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return `http://127.0.0.1:${port}`
}

async function main() {
  // Its exports map hides package.json: the package folder is the one around its main entry.
  const main = createRequire(import.meta.url).resolve('monaco-editor')
  const root = main.slice(0, main.lastIndexOf('/monaco-editor/') + '/monaco-editor'.length)
  const corpus = (await Promise.all(CORPUS_DIRS.map((d) => loadCorpus(join(root, d))))).flat()
  const ollamaHost = await deadOllama()
  console.log(`corpus: ${corpus.length} documented functions of monaco-editor ${CORPUS_DIRS.join(', ')}`)

  const env = parseEnv({
    OLLAMA_HOST: ollamaHost,
    AI_WARMUP: 'false',
    SEARCH_INDEXER: 'false',
    SEARCH_DEBOUNCE_MS: '1',
    LOG_LEVEL: 'silent',
  })
  const log = createLogger(process.env.BENCH_LOG === 'debug' ? 'debug' : 'silent')
  /** Seeds the corpus into a fresh database and indexes it; the services stay open for queries. */
  const indexInto = async (database: Database) => {
    await migrate(database)
    const services = createServices(env, database.db, log)
    const seeded = await seedCorpus(database, corpus)
    return { services, ...seeded, indexing: await indexAll(database, services) }
  }
  const report = (where: string, i: Indexing) =>
    console.log(
      `indexing (${where}): ${i.files} files, ${i.chunks} chunks in ${i.seconds.toFixed(2)} s = ` +
        `${i.filesPerSecond.toFixed(0)} files/s, ${i.chunksPerSecond.toFixed(0)} chunks/s`,
    )

  // What users run: the embedded database on disk, on its own thread (as `npm start` opens it).
  const dir = await newTempDir('mimiverse-bench-search-')
  const database = await openDatabase({ dataDir: dir.path })
  const { services, projectId, paths, indexing } = await indexInto(database)
  report('on disk, database thread', indexing)
  const relevance: Record<string, { mrr10: number; recall5: number; msPerQuery: number }> = {}
  for (const mode of ['text', 'vector', 'hybrid'] as const) {
    relevance[mode] = await evaluate(services, { projectId, corpus, paths, mode, queries: QUERIES })
    const r = relevance[mode]
    console.log(
      `${mode.padEnd(6)} MRR@10 ${r.mrr10.toFixed(3)}  Recall@5 ${r.recall5.toFixed(3)}  ` +
        `${r.msPerQuery.toFixed(1)} ms/query`,
    )
  }
  await services.close()
  await database.close()
  await dir.remove()

  // Beside it, the in-memory database in this process (what the tests use): the engine's own cost.
  const memory = await openDatabase({})
  const inMemory = await indexInto(memory)
  report('in memory, in process', inMemory.indexing)
  await inMemory.services.close()
  await memory.close()

  const times = (await editToSearchable({ trials: TRIALS, keyMs: 30, ollamaHost })).sort((a, b) => a - b)
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!
  const live = { trials: times.length, p50Ms: Math.round(pct(50)), p95Ms: Math.round(pct(95)) }
  console.log(`edit-to-searchable: p50 ${live.p50Ms} ms, p95 ${live.p95Ms} ms over ${live.trials} edits`)

  const round = (x: number) => Math.round(x * 1000) / 1000
  console.log(
    JSON.stringify({
      bench: 'search',
      corpus: { library: 'monaco-editor', functions: corpus.length },
      embedder: 'local/hashed-ngrams-v2',
      indexing: { ...rates(indexing), database: 'embedded, on disk, own thread' },
      indexingInMemory: { ...rates(inMemory.indexing), database: 'embedded, in memory, in process' },
      relevance: Object.fromEntries(
        Object.entries(relevance).map(([m, r]) => [m, { mrr10: round(r.mrr10), recall5: round(r.recall5) }]),
      ),
      editToSearchable: live,
    }),
  )
}

type Indexing = Awaited<ReturnType<typeof indexAll>>

function rates(i: Indexing) {
  return {
    files: i.files,
    chunks: i.chunks,
    filesPerSecond: Math.round(i.filesPerSecond),
    chunksPerSecond: Math.round(i.chunksPerSecond),
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
