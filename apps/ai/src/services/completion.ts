import type { Logger } from '@mimiverse/server-kit'
import { BackendError, BackendFailure } from './backend-error'
import type { Breaker } from './breaker'
import { cacheKey, type Cache } from './cache'
import { renderQwenContext, selectContext, type Snippet } from './completion-context'
import { postProcess, wantsMultiline } from './completion-post'
import { MAX_OUTPUT_TOKENS, buildFim, fimModeFor, type FimMode, type FimRequest } from './fim'
import { guardedStream, unavailable } from './guard'
import { createFlightRegistry, type Flight, type FlightRegistry } from './inflight'
import type { AiMetrics } from './metrics'
import type { OllamaBackend } from './ollama'

/**
 * Inline completion at a cursor, in order of cost:
 * 1. re-attach to a model stream in flight when the user typed what it is producing (inflight.ts);
 * 2. the cache, keyed by model and the current file's prompt (repository context is left out of the key: it
 *    changes with every edit elsewhere, and the answer for the same cursor text is still good);
 * 3. a new FIM stream, with repository context ahead of the file within a character budget.
 * The raw answer is post-processed per request (completion-post.ts). When the caller goes away (the editor
 * aborts on the next keystroke) its stream to Ollama is closed, unless the model is still cold: then the first
 * request is let finish (so the model loads) and cached.
 */
export interface CompletionInput {
  docName: string
  prefix: string
  suffix: string
  path?: string
  language?: string
  /**
   * Snippets from elsewhere in the project, read and authorized by the caller; a function so they are only
   * read when the model is really asked (not for reuse or cache hits).
   */
  context?: () => Promise<CompletionContext>
  /** Only re-attach to a stream in flight; never call the model (the editor's cheap probe while typing on). */
  reuseOnly?: boolean
  signal?: AbortSignal
}

export interface CompletionContext {
  repoName: string
  recent: Snippet[]
  search: Snippet[]
  open: Snippet[]
}

export interface CompletionResult {
  text: string
  model: string
  cached: boolean
  /** Served by a model stream started for an earlier request. */
  reused: boolean
  latencyMs: number
  /** Of `latencyMs`, the time spent waiting for the model (0 for cache hits). */
  modelMs: number
}

export interface CompletionService {
  complete(input: CompletionInput): Promise<CompletionResult>
  /** Loads the model; until it or a first completion has finished, the model counts as cold. */
  warmUp(): Promise<void>
  /** Model streams running now: their text so far and how many requests wait on each. */
  inFlight(): ReturnType<FlightRegistry['list']>
}

export interface CompletionOptions {
  ollama: OllamaBackend
  breaker: Breaker
  model: string
  fim: 'auto' | FimMode
  cache: Cache
  timeoutMs: number
  /** Characters of repository context ahead of the prompt (raw FIM mode only). */
  contextChars: number
  metrics: AiMetrics
  log: Logger
}

export function createCompletionService(opts: CompletionOptions): CompletionService {
  const { model, metrics } = opts
  const mode = fimModeFor(model, opts.fim)
  const flights = createFlightRegistry()
  const state = { warm: false }
  const runner = streamRunner(opts, state)
  return {
    async complete(input) {
      const started = performance.now()
      const done = (text: string, extra: Pick<CompletionResult, 'cached' | 'reused' | 'modelMs'>) => ({
        text: postProcess(text, { ...input, multiline: wantsMultiline(input.prefix, input.suffix) }),
        model,
        ...extra,
        latencyMs: Math.round(performance.now() - started),
      })
      const attach = flights.find(input.docName, input.prefix, input.suffix)
      if (attach) {
        const raw = await waitFor(flights, attach.flight, input, metrics, model)
        metrics.requests.inc({ task: 'complete', model, backend: 'ollama', outcome: 'reused' })
        return done(raw.slice(attach.typed.length), {
          cached: false,
          reused: true,
          modelMs: performance.now() - started,
        })
      }
      if (input.reuseOnly) return done('', { cached: false, reused: false, modelMs: 0 })
      const fim = buildFim(input, mode)
      const key = cacheKey(model, mode, fim.prompt, fim.suffix ?? '')
      const hit = await opts.cache.get(key)
      if (hit !== undefined) {
        metrics.cacheHits.inc({ task: 'complete' })
        return done(hit, { cached: true, reused: false, modelMs: 0 })
      }
      metrics.cacheMisses.inc({ task: 'complete' })
      const context = mode === 'raw' && input.context ? await input.context() : undefined
      const prompt = context
        ? buildFim(input, mode, contextFor(context, input.prefix, opts.contextChars))
        : fim
      const modelStarted = performance.now()
      const flight = flights.start({
        docName: input.docName,
        prefix: input.prefix,
        suffix: input.suffix,
        keepAlive: !state.warm,
        run: async (signal, onText) => {
          const text = await runner(prompt, signal, onText)
          // Not awaited: the answer is ready, and a shared (Redis) cache's write would add its round trip to
          // every miss (and count as the model's time). A cache write never throws; it fails as a miss.
          void opts.cache.set(key, text)
          return text
        },
      })
      const raw = await waitFor(flights, flight, input, metrics, model)
      const modelMs = performance.now() - modelStarted
      metrics.requests.inc({ task: 'complete', model, backend: 'ollama', outcome: 'ok' })
      metrics.latency.observe({ task: 'complete', model }, (performance.now() - started) / 1000)
      return done(raw, { cached: false, reused: false, modelMs })
    },
    async warmUp() {
      await opts.ollama.warmUp(model, 'generate')
      state.warm = true
    },
    inFlight: () => flights.list(),
  }
}

/**
 * The prompt's repository context. The picked snippets (not whole files: that is cheaper) are defused so a
 * file cannot inject FIM tokens; the two spaces added per token may overrun the budget by a few characters.
 */
function contextFor(ctx: CompletionContext, prefix: string, budget: number): string {
  const clean = (s: Snippet) => ({ path: s.path, text: s.text.replace(/<\|([a-z_]+)\|>/g, '<| $1 |>') })
  const picked = selectContext({ prefix, recent: ctx.recent, search: ctx.search, open: ctx.open, budget })
  return renderQwenContext(ctx.repoName, picked.map(clean))
}

async function waitFor(
  flights: FlightRegistry,
  flight: Flight,
  input: CompletionInput,
  metrics: AiMetrics,
  model: string,
): Promise<string> {
  try {
    return await flights.join(flight, input.signal)
  } catch (e: unknown) {
    const outcome = input.signal?.aborted ? 'cancelled' : 'unavailable'
    metrics.requests.inc({ task: 'complete', model, backend: 'ollama', outcome })
    throw unavailable('completion', model, e)
  }
}

/** One FIM stream to the model with a whole-request deadline; marks the model warm when it succeeds. */
function streamRunner(opts: CompletionOptions, state: { warm: boolean }) {
  return async (fim: FimRequest, signal: AbortSignal, onText: (t: string) => void): Promise<string> => {
    const deadline = AbortSignal.timeout(opts.timeoutMs)
    let text = ''
    try {
      const stream = guardedStream(opts.breaker, () =>
        opts.ollama.generate({
          model: opts.model,
          prompt: fim.prompt,
          suffix: fim.suffix,
          raw: fim.raw,
          signal: AbortSignal.any([signal, deadline]),
          options: {
            temperature: 0.01,
            num_predict: MAX_OUTPUT_TOKENS,
            ...(fim.stop.length ? { stop: fim.stop } : {}),
          },
        }),
      )
      for await (const chunk of stream) {
        text += chunk.text
        onText(chunk.text)
        if (chunk.done) countTokens(opts.metrics, opts.model, chunk)
      }
    } catch (e: unknown) {
      throw deadline.aborted && !signal.aborted ? timeout(e, opts.timeoutMs) : e
    }
    state.warm = true
    return text
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
