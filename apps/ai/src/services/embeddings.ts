import { AppError, ErrorCode } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { BackendError } from './backend-error'
import type { Breaker } from './breaker'
import { guarded } from './guard'
import { LOCAL_EMBED_MODEL, localEmbed } from './local-embedder'
import type { AiMetrics } from './metrics'
import type { OllamaBackend } from './ollama'
import type { TritonBackend } from './triton'

/**
 * Embeddings with a fallback chain: Triton when configured and its model is ready, else Ollama, else the
 * built-in lexical embedder (always there, so search keeps working offline). Each answer says which model
 * made its vectors (`triton/<model>`, `ollama/<model>`, `local/...`); vectors of different models are never
 * compared (`similarity` refuses).
 */
export type EmbedBackendName = 'triton' | 'ollama' | 'local'
export type EmbedKind = 'document' | 'query'

export interface EmbeddingResult {
  /** The model tag: backend and model, e.g. `ollama/nomic-embed-text`. */
  model: string
  backend: EmbedBackendName
  dimensions: number
  vectors: number[][]
}

export interface EmbeddingService {
  embed(texts: string[], options?: { kind?: EmbedKind; signal?: AbortSignal }): Promise<EmbeddingResult>
}

export interface EmbeddingOptions {
  triton: { backend: TritonBackend; model: string; breaker: Breaker } | null
  ollama: { backend: OllamaBackend; model: string; breaker: Breaker }
  /** Width of the local embedder's vectors. */
  dimensions: number
  metrics: AiMetrics
  log: Logger
  /** How long a ModelReady answer from Triton is trusted, in ms. Default 10 s. */
  readyTtlMs?: number
}

export function createEmbeddingService(opts: EmbeddingOptions): EmbeddingService {
  const tritonReady = readiness(opts, opts.readyTtlMs ?? 10_000)
  const fallBack = (from: EmbedBackendName, to: EmbedBackendName, e: unknown) => {
    opts.metrics.fallbacks.inc({ task: 'embed', from, to })
    opts.log.warn('embedding backend unavailable, falling back', {
      from,
      to,
      error: e instanceof Error ? e.message : String(e),
    })
  }
  return {
    async embed(texts, options = {}) {
      const kind = options.kind ?? 'document'
      const started = performance.now()
      const done = (result: EmbeddingResult) => {
        opts.metrics.requests.inc({
          task: 'embed',
          model: result.model,
          backend: result.backend,
          outcome: 'ok',
        })
        opts.metrics.latency.observe(
          { task: 'embed', model: result.model },
          (performance.now() - started) / 1000,
        )
        return result
      }
      if (opts.triton) {
        const { backend, model, breaker } = opts.triton
        try {
          const notReady = await tritonReady()
          if (notReady) throw new BackendError('triton', 'unreachable', notReady)
          const vectors = await guarded(breaker, () => backend.embed(model, withPrefix(model, kind, texts)))
          return done(result('triton', model, vectors))
        } catch (e: unknown) {
          fallBack('triton', 'ollama', e)
        }
      }
      const { backend, model, breaker } = opts.ollama
      try {
        const input = withPrefix(model, kind, texts)
        const vectors = await guarded(breaker, () => backend.embed({ model, input, signal: options.signal }))
        return done(result('ollama', model, vectors))
      } catch (e: unknown) {
        if (options.signal?.aborted) throw new AppError(ErrorCode.BadRequest, 'The request was cancelled')
        fallBack('ollama', 'local', e)
      }
      const vectors = texts.map((t) => localEmbed(t, opts.dimensions))
      return done({ model: LOCAL_EMBED_MODEL, backend: 'local', dimensions: opts.dimensions, vectors })
    },
  }
}

function result(backend: EmbedBackendName, model: string, vectors: number[][]): EmbeddingResult {
  return { model: `${backend}/${model}`, backend, dimensions: vectors[0]?.length ?? 0, vectors }
}

/**
 * Caches Triton's ModelReady answer: `null` when the model is ready, else why not. A failed check counts on
 * the breaker (through `guarded`) and reads as "not ready".
 */
function readiness(opts: EmbeddingOptions, ttlMs: number): () => Promise<string | null> {
  let until = 0
  let reason: string | null = 'not checked'
  return async () => {
    if (!opts.triton) return 'not configured'
    if (performance.now() < until) return reason
    const { backend, model, breaker } = opts.triton
    reason = await guarded(breaker, () => backend.modelReady(model)).then(
      (ready) => (ready ? null : `model ${model} is not ready`),
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    )
    until = performance.now() + ttlMs
    return reason
  }
}

/** nomic-embed-text was trained with task prefixes; other models get the text as is. */
export function withPrefix(model: string, kind: EmbedKind, texts: string[]): string[] {
  if (!model.includes('nomic-embed')) return texts
  const prefix = kind === 'query' ? 'search_query: ' : 'search_document: '
  return texts.map((t) => prefix + t)
}

/** Cosine similarity of two tagged vectors; refuses to compare vectors made by different models. */
export function similarity(
  a: { model: string; vector: number[] },
  b: { model: string; vector: number[] },
): number {
  if (a.model !== b.model || a.vector.length !== b.vector.length) {
    throw new AppError(ErrorCode.BadRequest, `Cannot compare vectors of ${a.model} and ${b.model}`)
  }
  let dot = 0
  let na = 0
  let nb = 0
  a.vector.forEach((x, i) => {
    const y = b.vector[i] ?? 0
    dot += x * y
    na += x * x
    nb += y * y
  })
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}
