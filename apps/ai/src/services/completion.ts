import type { Logger } from '@mimiverse/server-kit'
import { BackendError, BackendFailure } from './backend-error'
import type { Breaker } from './breaker'
import { cacheKey, type Cache } from './cache'
import { MAX_OUTPUT_TOKENS, buildFim, cleanCompletion, fimModeFor, type FimMode } from './fim'
import { guardedStream, unavailable } from './guard'
import type { AiMetrics } from './metrics'
import type { OllamaBackend } from './ollama'

/**
 * Inline completion: one FIM request to the completion model with a whole-request deadline, cached by model
 * and prompt hash so typing through a suggestion or backspacing costs no request. When the caller goes away
 * (the editor aborts on the next keystroke) the request to Ollama is closed too.
 */
export interface CompletionInput {
  prefix: string
  suffix: string
  path?: string
  language?: string
  signal?: AbortSignal
}

export interface CompletionResult {
  text: string
  model: string
  cached: boolean
  latencyMs: number
}

export interface CompletionService {
  complete(input: CompletionInput): Promise<CompletionResult>
}

export interface CompletionOptions {
  ollama: OllamaBackend
  breaker: Breaker
  model: string
  fim: 'auto' | FimMode
  cache: Cache
  timeoutMs: number
  metrics: AiMetrics
  log: Logger
}

export function createCompletionService(opts: CompletionOptions): CompletionService {
  const { model, metrics } = opts
  const mode = fimModeFor(model, opts.fim)
  return {
    async complete(input) {
      const started = performance.now()
      const fim = buildFim(input, mode)
      const key = cacheKey(model, mode, fim.prompt, fim.suffix ?? '')
      const hit = await opts.cache.get(key)
      if (hit !== undefined) {
        metrics.cacheHits.inc({ task: 'complete' })
        return { text: hit, model, cached: true, latencyMs: Math.round(performance.now() - started) }
      }
      metrics.cacheMisses.inc({ task: 'complete' })
      const deadline = AbortSignal.timeout(opts.timeoutMs)
      const signal = input.signal ? AbortSignal.any([input.signal, deadline]) : deadline
      let text = ''
      try {
        const stream = guardedStream(opts.breaker, () =>
          opts.ollama.generate({
            model,
            prompt: fim.prompt,
            suffix: fim.suffix,
            raw: fim.raw,
            signal,
            options: {
              temperature: 0.01,
              num_predict: MAX_OUTPUT_TOKENS,
              ...(fim.stop.length ? { stop: fim.stop } : {}),
            },
          }),
        )
        for await (const chunk of stream) {
          text += chunk.text
          if (chunk.done) countTokens(metrics, model, chunk)
        }
      } catch (e: unknown) {
        const error = deadline.aborted && !input.signal?.aborted ? timeout(e, opts.timeoutMs) : e
        const outcome = input.signal?.aborted ? 'cancelled' : 'unavailable'
        metrics.requests.inc({ task: 'complete', model, backend: 'ollama', outcome })
        throw unavailable('completion', model, error)
      }
      const cleaned = cleanCompletion(text, input.suffix)
      await opts.cache.set(key, cleaned)
      const latencyMs = Math.round(performance.now() - started)
      metrics.requests.inc({ task: 'complete', model, backend: 'ollama', outcome: 'ok' })
      metrics.latency.observe({ task: 'complete', model }, latencyMs / 1000)
      return { text: cleaned, model, cached: false, latencyMs }
    },
  }
}

function timeout(cause: unknown, ms: number): BackendError {
  return new BackendError('ollama', BackendFailure.Timeout, `no completion within ${ms} ms`, { cause })
}

export function countTokens(
  metrics: AiMetrics,
  model: string,
  chunk: { promptTokens?: number; outputTokens?: number },
  task = 'complete',
): void {
  if (chunk.promptTokens) metrics.tokens.inc({ task, model, kind: 'prompt' }, chunk.promptTokens)
  if (chunk.outputTokens) metrics.tokens.inc({ task, model, kind: 'output' }, chunk.outputTokens)
}
