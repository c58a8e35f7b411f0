import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'
import {
  AuthorKind,
  clientAuthorsOf,
  editsOf,
  listVersions,
  migrate,
  openDatabase,
  versionBytes,
  VersionKind,
} from '@mimiverse/db'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { createLogger } from '@mimiverse/server-kit'
import { AuthorshipRecorder, observe } from '../src/services/authorship'
import { blame } from '../src/services/blame'
import { VersionStore } from '../src/services/versions'
import { round, summarize } from './stats'

/**
 * `npm run bench:history`: file history on a real editing trace (josephg/editing-traces `automerge-paper`, by
 * Joseph Gentle and contributors, CC BY 4.0; read from `../shared/data`). Replays every edit as its own Yjs
 * transaction on one document, recording authorship as the collab server does and taking a version every
 * `--every` operations (default 500) into an in-memory PGlite, then measures: listing versions, opening
 * random versions, blame of the final file, and the bytes history takes against the final snapshot.
 * `--ops N` replays only the first N operations.
 */
const DOC = '00000000-0000-4000-8000-000000000001/00000000-0000-4000-8000-000000000002'
const AUTHOR = { kind: AuthorKind.User, userId: '00000000-0000-4000-8000-000000000003', runId: null }

interface Trace {
  endContent: string
  txns: { patches: [number, number, string][] }[]
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now()
  const value = await fn()
  return [value, performance.now() - start]
}

async function main(): Promise<void> {
  const every = option('every', 500)
  const path = resolve(import.meta.dirname, '../../../../shared/data/automerge-paper.json.gz')
  const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Trace
  const patches = trace.txns.flatMap((t) => t.patches)
  const ops = Math.min(option('ops', patches.length), patches.length)
  const database = await openDatabase({})
  try {
    await migrate(database)
    const { db } = database
    const recorder = new AuthorshipRecorder(db, createLogger('warn'), { flushMs: 60_000 })
    const versions = new VersionStore(db)
    const doc = new Y.Doc()
    const text = doc.getText(CONTENT_FIELD)
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      const edit = observe(tr)
      if (edit) recorder.record(DOC, AUTHOR, edit)
    })
    const replayStart = performance.now()
    let versionMs = 0
    for (let i = 0; i < ops; i++) {
      const [at, remove, insert] = patches[i]!
      doc.transact(() => {
        if (remove > 0) text.delete(at, remove)
        if (insert) text.insert(at, insert)
      })
      if ((i + 1) % every === 0 || i === ops - 1) {
        const [, ms] = await timed(() => versions.take(DOC, doc, { kind: VersionKind.Auto }))
        versionMs += ms
      }
    }
    await recorder.stop()
    const replayMs = performance.now() - replayStart
    if (ops === patches.length && text.toString() !== trace.endContent) throw new Error('replay diverged')

    const list: number[] = []
    let count = 0
    for (let i = 0; i < 30; i++) {
      const [rows, ms] = await timed(() => listVersions(db, DOC))
      count = rows.length
      list.push(ms)
    }
    const all = await listVersions(db, DOC, 100_000)
    const open: number[] = []
    for (let i = 0; i < 30; i++) {
      const v = all[Math.floor(Math.random() * all.length)]!
      const [content, ms] = await timed(() => versions.text(DOC, v.seq))
      if (content.length !== v.chars)
        throw new Error(`version ${v.seq} has ${content.length} chars, not ${v.chars}`)
      open.push(ms)
    }
    const [lines, blameMs] = await timed(async () =>
      blame(text, await editsOf(db, DOC), await clientAuthorsOf(db, DOC)),
    )
    // Only the empty line after a final newline has no character, hence no author.
    if (lines.slice(0, -1).some((l) => l.author === null)) throw new Error('a line has no author')
    const historyBytes = await versionBytes(db, DOC)
    const snapshotBytes = Y.encodeStateAsUpdate(doc).length
    const report = {
      bench: 'history',
      ops,
      versions: count,
      finalChars: text.length,
      replaySeconds: round(replayMs / 1000),
      versionTakeMsMean: round(versionMs / all.length),
      listVersionsMs: summarize(list, 'list'),
      openVersionMs: summarize(open, 'open'),
      blameMs: round(blameMs),
      blameLines: lines.length,
      historyBytes,
      snapshotBytes,
      historyOverSnapshot: round(historyBytes / snapshotBytes),
    }
    console.log(JSON.stringify(report))
  } finally {
    await database.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
