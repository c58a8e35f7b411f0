import type { Message } from 'ollama'
import { AppError } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { Breaker } from './breaker'
import { countTokens } from './completion'
import { guardedStream, unavailable } from './guard'
import type { AiMetrics } from './metrics'
import type { OllamaBackend, StreamChunk } from './ollama'

/**
 * Streamed chat with the chat model. `start` waits for the model's first chunk before it resolves, so an
 * unreachable or missing model fails the call itself (fast, with a message naming what to start) instead of
 * failing inside an already-open stream. The events after that: the model's text in pieces, then `done`.
 */
export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'done'; model: string; promptTokens: number; outputTokens: number; latencyMs: number }

export interface ChatService {
  start(messages: Message[], signal?: AbortSignal): Promise<AsyncGenerator<ChatEvent>>
}

export interface ChatOptions {
  ollama: OllamaBackend
  breaker: Breaker
  model: string
  metrics: AiMetrics
  log: Logger
}

export function createChatService(opts: ChatOptions): ChatService {
  const { model, metrics } = opts
  const fail = (e: unknown, signal: AbortSignal | undefined) => {
    const outcome = signal?.aborted ? 'cancelled' : e instanceof AppError ? 'error' : 'unavailable'
    metrics.requests.inc({ task: 'chat', model, backend: 'ollama', outcome })
    return unavailable('chat', model, e)
  }
  return {
    async start(messages, signal) {
      const started = performance.now()
      const stream = guardedStream(opts.breaker, () =>
        opts.ollama.chat({ model, messages, signal, options: { temperature: 0.2 } }),
      )
      const it = stream[Symbol.asyncIterator]()
      let first: IteratorResult<StreamChunk>
      try {
        first = await it.next()
      } catch (e: unknown) {
        throw fail(e, signal)
      }
      return events(it, first, {
        model,
        onDone: (chunk) => {
          countTokens(metrics, model, chunk, 'chat')
          metrics.requests.inc({ task: 'chat', model, backend: 'ollama', outcome: 'ok' })
          metrics.latency.observe({ task: 'chat', model }, (performance.now() - started) / 1000)
          return Math.round(performance.now() - started)
        },
        onError: (e) => fail(e, signal),
      })
    },
  }
}

async function* events(
  it: AsyncIterator<StreamChunk>,
  first: IteratorResult<StreamChunk>,
  hooks: { model: string; onDone(chunk: StreamChunk): number; onError(e: unknown): AppError },
): AsyncGenerator<ChatEvent> {
  let next = first
  try {
    while (!next.done) {
      const chunk = next.value
      if (chunk.text) yield { type: 'text', text: chunk.text }
      if (chunk.done) {
        const latencyMs = hooks.onDone(chunk)
        yield {
          type: 'done',
          model: hooks.model,
          promptTokens: chunk.promptTokens ?? 0,
          outputTokens: chunk.outputTokens ?? 0,
          latencyMs,
        }
        return
      }
      next = await it.next()
    }
  } catch (e: unknown) {
    throw hooks.onError(e)
  } finally {
    // The consumer left early (the browser closed the stream): closing our source closes the Ollama request.
    await it.return?.()
  }
}
