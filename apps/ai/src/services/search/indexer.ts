import { createHash } from 'node:crypto'
import { readDocumentTexts, type Db, type VectorStatus } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { docNameFor } from '@mimiverse/shared'
import type { EmbeddingService } from '../embeddings'
import type { AiMetrics } from '../metrics'
import { loggedReads } from '../workspace'
import { batchOrAlone } from './alone'
import { CHUNKER_VERSION, chunkText, type Chunk } from './chunker'
import {
  cachedHashes,
  claimDue,
  dropClaim,
  enqueueStale,
  filesToIndex,
  finishClaims,
  pruneEmbeddings,
  queueDepth,
  releaseClaim,
  replaceChunks,
  saveEmbeddings,
  type ChunkRow,
  type Claim,
  type FileIndex,
  type FileToIndex,
} from './store'
import { ftsText } from './tokenize'
import { createVectorSupport } from './vector-support'

/**
 * Keeps the search index in step with the documents. The collab servers never call us: triggers on the
 * document log queue every changed file (`search_queue`), and this loop polls the queue, claims files whose
 * last change is older than the debounce (or whose first unindexed change is older than the longest wait),
 * reads their text with `readDocumentTexts` (`readDocumentText` for a batch), chunks it, embeds only chunks whose (content hash, model) is not
 * in `search_embeddings`, and replaces the file's chunks in one transaction. A claim is a lease: a replica
 * that dies mid-file leaves a row another replica (or the next start) takes over, so work resumes after a
 * restart. Renames cost nothing (paths are joined at query time); deletes cascade.
 */
export interface IndexerOptions {
  db: Db
  embeddings: EmbeddingService
  metrics: AiMetrics
  log: Logger
  /** Queue poll interval, ms. */
  pollMs: number
  debounceMs: number
  maxWaitMs: number
  /** Larger files are recorded with no chunks. */
  maxFileBytes: number
  maxChunksPerFile: number
  /** Files claimed per poll. Default 32. */
  batchFiles?: number
  /** Texts per embedding call. Default 64. */
  embedBatch?: number
  /**
   * Reads the stored texts of documents (missing ones as ""). Default: `readDocumentTexts`, leaving out (and
   * logging) stored updates that cannot be applied.
   */
  readTexts?: (docNames: string[]) => Promise<Map<string, string>>
  /**
   * Whether the database can store vectors (pgvector); without, files are indexed for text search only.
   * Default: `createVectorSupport(db)`.
   */
  vectorSupport?: () => Promise<VectorStatus>
}

export interface Indexer {
  /** Queues stale files (never indexed, older chunker, other model) and starts polling. */
  start(): Promise<void>
  /** Stops polling and waits for the file being indexed. */
  stop(): Promise<void>
  /** One poll: indexes the due files; returns how many were claimed. */
  runOnce(): Promise<number>
  /** The model that made the latest vectors (learned from the embedding service), or `null`. */
  model(): string | null
}

/** Characters of a chunk given to the embedder and to the full-text vector. */
const INDEXED_CHARS = 16_000
const LEASE_MS = 60_000
const RETRY_MS = 5_000
const MAX_ATTEMPTS = 5
const PROGRESS_EVERY_MS = 10_000
const DEPTH_EVERY_MS = 1_000
/** Days an embedding no chunk uses stays cached (pruned at start). */
const CACHE_DAYS = 7

interface Prepared {
  claim: Claim
  projectId: string
  textHash: string
  chunks: (Chunk & { indexedText: string; hash: string })[]
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export function createIndexer(o: IndexerOptions): Indexer {
  const log = o.log.child({ component: 'search-indexer' })
  const batchFiles = o.batchFiles ?? 32
  const embedBatch = o.embedBatch ?? 64
  const vectorSupport = o.vectorSupport ?? createVectorSupport(o.db)
  const readTexts =
    o.readTexts ?? ((docNames: string[]) => readDocumentTexts(o.db, docNames, loggedReads(log)))
  let model: string | null = null
  let stopped = true
  let timer: NodeJS.Timeout | null = null
  let running: Promise<number> | null = null
  let progress = { files: 0, since: performance.now() }
  let depthSampledAt = 0

  /**
   * A new model makes every file with another model's vectors stale; the first model this process sees is
   * checked too (the backend may have changed while it was down).
   */
  const noteModel = async (next: string) => {
    if (next === model) return
    const previous = model
    model = next
    const queued = await enqueueStale(o.db, CHUNKER_VERSION, next)
    if (queued > 0)
      log.info('embedding model changed, re-embedding', { from: previous, to: next, files: queued })
  }

  /**
   * Makes sure `search_embeddings` holds a vector for each hash by the current model: those missing are
   * embedded in batches and stored. Returns the model and the hashes that have one.
   */
  const ensureEmbedded = async (items: { hash: string; text: string }[]) => {
    const unique = [...new Map(items.map((i) => [i.hash, i])).values()]
    const hashes = unique.map((i) => i.hash)
    let found = model ? await cachedHashes(o.db, model, hashes) : new Set<string>()
    for (;;) {
      const batch = unique.filter((i) => !found.has(i.hash)).slice(0, embedBatch)
      if (batch.length === 0) return { model, found }
      const result = await o.embeddings.embed(
        batch.map((b) => b.text),
        { kind: 'document' },
      )
      o.metrics.searchEmbedCalls.inc({ model: result.model })
      o.metrics.searchEmbeddedChunks.inc({ model: result.model }, batch.length)
      if (result.vectors.length !== batch.length) throw new Error('the embedder returned a wrong count')
      if (result.model !== model) {
        await noteModel(result.model)
        found = await cachedHashes(o.db, result.model, hashes)
      }
      const entries = batch.map((b, i) => ({ hash: b.hash, vector: result.vectors[i]! }))
      await saveEmbeddings(o.db, result.model, entries)
      for (const e of entries) found.add(e.hash)
    }
  }

  /** What a claimed file needs: `null` when nothing (deleted, or its text is indexed as it is). */
  const prepare = (
    claim: Claim,
    file: FileToIndex | undefined,
    text: string | undefined,
  ): Prepared | null => {
    if (!file || text === undefined) return null // deleted: its chunks went with it (cascade)
    const textHash = sha256(text)
    const { indexed } = file
    const current =
      indexed?.textHash === textHash &&
      indexed.version === CHUNKER_VERSION &&
      (indexed.chunks === 0 || indexed.model === model || model === null)
    if (current) return null
    const indexable = Buffer.byteLength(text) <= o.maxFileBytes && !text.includes('\u0000')
    const chunks = (indexable ? chunkText(text, file.path, { maxChunks: o.maxChunksPerFile }) : []).map(
      (c) => {
        const indexedText = c.text.slice(0, INDEXED_CHARS)
        return { ...c, indexedText, hash: sha256(indexedText) }
      },
    )
    return { claim, projectId: file.projectId, textHash, chunks }
  }

  /** Failed: retried with a growing delay, dropped (until the file changes again) after MAX_ATTEMPTS. */
  const failed = async (claim: Claim, e: unknown) => {
    const error = messageOf(e)
    o.metrics.searchIndexedFiles.inc({ outcome: 'failed' })
    if (claim.attempts >= MAX_ATTEMPTS) {
      log.error('indexing a file failed repeatedly; dropped until it changes', {
        fileId: claim.fileId,
        error,
      })
      await dropClaim(o.db, claim)
    } else {
      log.warn('indexing a file failed; will retry', { fileId: claim.fileId, error })
      await releaseClaim(o.db, claim, RETRY_MS * claim.attempts)
    }
  }

  /**
   * Embeds and writes prepared files together: one cache look-up, batched embedding calls, one write
   * transaction. Throws (having written nothing) when any part fails.
   */
  const writeJobs = async (jobs: readonly Prepared[]) => {
    const t0 = performance.now()
    const vectors = (await vectorSupport()).ready
    const embedded = vectors
      ? await ensureEmbedded(
          jobs.flatMap((j) => j.chunks.map((c) => ({ hash: c.hash, text: c.indexedText }))),
        )
      : { model: null, found: new Set<string>() }
    const indexes: FileIndex[] = jobs.map((j) => ({
      fileId: j.claim.fileId,
      projectId: j.projectId,
      textHash: j.textHash,
      version: CHUNKER_VERSION,
      model: embedded.model,
      chunks: j.chunks.map((c): ChunkRow => ({
        startLine: c.startLine,
        endLine: c.endLine,
        content: c.text,
        contentHash: c.hash,
        ...ftsText(c.indexedText),
        embedded: embedded.found.has(c.hash),
      })),
    }))
    const t1 = performance.now()
    const written = await replaceChunks(o.db, indexes, { vectors })
    await finishClaims(
      o.db,
      jobs.map((j) => j.claim),
    )
    log.debug('indexed a batch', {
      files: jobs.length,
      chunks: indexes.reduce((n, i) => n + i.chunks.length, 0),
      embedMs: Math.round(t1 - t0),
      writeMs: Math.round(performance.now() - t1),
    })
    for (const index of indexes) {
      if (!written.has(index.fileId)) continue
      o.metrics.searchIndexedFiles.inc({ outcome: 'indexed' })
      o.metrics.searchIndexedChunks.inc(index.chunks.length)
    }
  }

  /**
   * Indexes claimed files, together where it can: one read for the batch and one embed-and-write. When the batch
   * fails, its files are read (or embedded and written) one by one, so only a file that fails on its own is
   * retried later (`failed`); the others are indexed now.
   */
  const indexClaims = async (claims: Claim[]) => {
    const files = await filesToIndex(
      o.db,
      claims.map((c) => c.fileId),
    )
    const docName = (c: Claim) => docNameFor(files.get(c.fileId)?.projectId ?? c.projectId, c.fileId)
    const alone = (what: string, count: number) => (e: unknown) =>
      log.warn(`${what} a batch failed; going file by file`, { files: count, error: messageOf(e) })
    const texts = new Map<string, string>()
    const unread = await batchOrAlone(
      claims,
      async (batch) => {
        // One read for the batch, with readDocumentText's guarantee (log first, then snapshot).
        for (const [name, text] of await readTexts(batch.map(docName))) texts.set(name, text)
      },
      alone('reading', claims.length),
    )
    for (const { item, error } of unread) await failed(item, error)
    const jobs: Prepared[] = []
    const settled: Claim[] = []
    for (const claim of claims) {
      if (unread.some((u) => u.item === claim)) continue
      try {
        const job = prepare(claim, files.get(claim.fileId), texts.get(docName(claim)))
        if (job) jobs.push(job)
        else settled.push(claim)
      } catch (e: unknown) {
        await failed(claim, e)
      }
    }
    await finishClaims(o.db, settled)
    o.metrics.searchIndexedFiles.inc({ outcome: 'unchanged' }, settled.length)
    const unwritten = await batchOrAlone(jobs, writeJobs, alone('indexing', jobs.length))
    for (const { item, error } of unwritten) await failed(item.claim, error)
  }

  const runOnce = async (): Promise<number> => {
    const claims = await claimDue(o.db, {
      limit: batchFiles,
      debounceMs: o.debounceMs,
      maxWaitMs: o.maxWaitMs,
      leaseMs: LEASE_MS,
    })
    if (claims.length > 0) await indexClaims(claims)
    reportProgress(claims.length)
    if (performance.now() - depthSampledAt > DEPTH_EVERY_MS) {
      depthSampledAt = performance.now()
      o.metrics.searchQueueDepth.set(await queueDepth(o.db))
    }
    return claims.length
  }

  /** A long (re)index logs how far it got every 10 s. */
  const reportProgress = (files: number) => {
    progress.files += files
    const elapsed = performance.now() - progress.since
    if (elapsed < PROGRESS_EVERY_MS) return
    if (progress.files > 0) {
      log.info('indexing progress', {
        files: progress.files,
        filesPerSecond: Math.round((progress.files * 1000) / elapsed),
      })
    }
    progress = { files: 0, since: performance.now() }
  }

  const tick = () => {
    timer = null
    if (stopped) return
    running = runOnce().catch((e: unknown) => {
      log.warn('search index poll failed', { error: messageOf(e) })
      return 0
    })
    void running.then((claimed) => {
      running = null
      // A full batch means a backlog: go on at once instead of waiting for the next poll.
      if (!stopped) timer = setTimeout(tick, claimed >= batchFiles ? 0 : o.pollMs)
    })
  }

  return {
    async start() {
      if (!stopped) return
      stopped = false
      try {
        const queued = await enqueueStale(o.db, CHUNKER_VERSION, null)
        if (queued > 0) log.info('files queued for indexing at start', { files: queued })
        const vector = await vectorSupport()
        if (vector.ready) {
          const pruned = await pruneEmbeddings(o.db, CACHE_DAYS)
          if (pruned > 0) log.info('unused cached embeddings dropped', { embeddings: pruned })
        } else log.warn('code search runs in text mode', { reason: vector.reason })
      } catch (e: unknown) {
        log.warn('could not queue stale files', { error: messageOf(e) })
      }
      if (!stopped) tick()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running
    },
    runOnce,
    model: () => model,
  }
}
