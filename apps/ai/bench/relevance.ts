import { sql } from 'drizzle-orm'
import * as Y from 'yjs'
import type { Database } from '@mimiverse/db'
import { documentSnapshots, files, projects, users } from '@mimiverse/db/schema'
import { CONTENT_FIELD, docNameFor } from '@mimiverse/shared'
import type { SearchMode } from '../src/contracts/search'
import type { Services } from '../src/services/index'
import { rowsOf } from '../src/services/search/store'
import type { CorpusFunction } from './corpus'

/** Stores each function as its own file (snapshots, as the workspace API seeds them); returns the paths. */
export async function seedCorpus(database: Database, corpus: CorpusFunction[]) {
  const [user] = await database.db
    .insert(users)
    .values({ email: 'bench@example.com', name: 'Bench', passwordHash: 'x' })
    .returning({ id: users.id })
  const [project] = await database.db
    .insert(projects)
    .values({ name: 'corpus', createdBy: user!.id })
    .returning({ id: projects.id })
  const projectId = project!.id
  // Paths carry no function names: the query must find the code, not its file name.
  const paths = corpus.map((f, i) => `${f.origin.replace(/\.m?js:\d+$/, '')}/fn${i}.js`)
  for (let i = 0; i < corpus.length; i += 200) {
    const slice = corpus.slice(i, i + 200)
    const rows = await database.db
      .insert(files)
      .values(slice.map((_, j) => ({ projectId, path: paths[i + j]! })))
      .returning({ id: files.id })
    await database.db.insert(documentSnapshots).values(
      rows.map((r, j) => {
        const doc = new Y.Doc()
        doc.getText(CONTENT_FIELD).insert(0, slice[j]!.code)
        const state = Y.encodeStateAsUpdate(doc)
        doc.destroy()
        return { docName: docNameFor(projectId, r.id), state }
      }),
    )
  }
  return { projectId, paths }
}

/** Runs the indexer until the queue is empty; files and chunks per second. */
export async function indexAll(database: Database, services: Services) {
  const started = performance.now()
  let files = 0
  for (let n = await services.search.indexer.runOnce(); n > 0; n = await services.search.indexer.runOnce()) {
    files += n
  }
  const seconds = (performance.now() - started) / 1000
  const [row] = await rowsOf<{ n: number }>(database.db, sql`select count(*)::int as n from search_chunks`)
  const chunks = Number(row?.n ?? 0)
  return { files, chunks, seconds, filesPerSecond: files / seconds, chunksPerSecond: chunks / seconds }
}

/** MRR@10 and Recall@5 of one mode: rank of the one right file among distinct files. */
export async function evaluate(
  services: Services,
  o: { projectId: string; corpus: CorpusFunction[]; paths: string[]; mode: SearchMode; queries: number },
) {
  let reciprocal = 0
  let top5 = 0
  const started = performance.now()
  // Every k-th function when only some are asked for, so the sample spans the corpus.
  const step = Math.max(1, Math.floor(o.corpus.length / Math.min(o.queries, o.corpus.length)))
  const asked = o.corpus.map((f, i) => ({ f, i })).filter(({ i }) => i % step === 0)
  for (const { f, i } of asked) {
    const { results } = await services.search.query({
      projectId: o.projectId,
      q: f.query.slice(0, 1000),
      mode: o.mode,
      limit: 10,
      perFile: 1,
    })
    const rank = results.findIndex((r) => r.path === o.paths[i]) + 1
    if (rank > 0) reciprocal += 1 / rank
    if (rank > 0 && rank <= 5) top5 += 1
  }
  const n = asked.length
  return {
    queries: n,
    mrr10: reciprocal / n,
    recall5: top5 / n,
    msPerQuery: (performance.now() - started) / n,
  }
}
