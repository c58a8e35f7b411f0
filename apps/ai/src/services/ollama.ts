import { Ollama, type Message, type Tool } from 'ollama'
import { BackendError, BackendFailure } from './backend-error'

/**
 * Our interface to Ollama (the only module that imports the `ollama` client; test doubles plug in here).
 *
 * Flow: every call builds a light client whose `fetch` carries one AbortSignal that fires when the caller goes
 * away (`signal`) or the deadline passes. Streamed calls (`/api/chat`, `/api/generate`) read NDJSON chunks;
 * the deadline is an idle timeout re-armed by every chunk, so a long answer is fine but a stalled one is not.
 * Aborting closes the HTTP request, which is how Ollama learns to stop generating.
 */
export interface OllamaBackend {
  readonly host: string
  chat(req: ChatRequest): AsyncIterable<StreamChunk>
  generate(req: GenerateRequest): AsyncIterable<StreamChunk>
  /**
   * One chat turn with tools, not streamed (`/api/chat` with `tools`, `stream: false`): the model's text and
   * the tool calls it asks for, whole. The deadline covers the whole answer.
   */
  chatTurn(req: ChatRequest & { tools: Tool[] }): Promise<ChatTurn>
  /** Batched embeddings, one vector per input, in order. */
  embed(req: { model: string; input: string[]; signal?: AbortSignal }): Promise<number[][]>
  /** The model's capabilities (`completion`, `insert`, `embedding`, ...). */
  show(model: string): Promise<{ capabilities: string[] }>
  /** Names of the models pulled on this Ollama. */
  list(): Promise<string[]>
  /** Loads a model into memory (an empty prompt) so the first real request does not wait for it. */
  warmUp(model: string, kind: 'generate' | 'embed'): Promise<void>
}

export interface StreamChunk {
  text: string
  done: boolean
  /** Set on the last chunk: tokens in the prompt and in the answer. */
  promptTokens?: number
  outputTokens?: number
}

/** A model's answer in a tool-calling conversation. */
export interface ChatTurn {
  content: string
  toolCalls: { name: string; arguments: Record<string, unknown> }[]
  promptTokens: number
  outputTokens: number
}

interface CallOptions {
  model: string
  signal?: AbortSignal
  /** Sampling options passed through (`temperature`, `num_predict`, `stop`, ...). */
  options?: Record<string, unknown>
}

export interface ChatRequest extends CallOptions {
  messages: Message[]
}

export interface GenerateRequest extends CallOptions {
  prompt: string
  /** Fill-in-the-middle through the model's template (needs the `insert` capability). */
  suffix?: string
  /** Send `prompt` verbatim (our own FIM tokens). */
  raw?: boolean
}

export interface OllamaOptions {
  host: string
  /** Deadline of non-streamed calls, and most time between two chunks of a stream. */
  timeoutMs: number
  /** Deadline of health probes (`list`, `show`). Default 3 s. */
  probeTimeoutMs?: number
  keepAlive: string
}

const NAME = 'ollama'

export function createOllamaBackend(opts: OllamaOptions): OllamaBackend {
  const keep_alive = opts.keepAlive
  const probeMs = opts.probeTimeoutMs ?? 3000
  const call = async <T>(
    signal: AbortSignal | undefined,
    fn: (client: Ollama) => Promise<T>,
    timeoutMs = opts.timeoutMs,
  ) => {
    const deadline = newDeadline(timeoutMs, signal)
    try {
      return await fn(clientWith(opts.host, deadline.signal))
    } catch (e: unknown) {
      throw normalize(e, deadline)
    } finally {
      deadline.clear()
    }
  }
  const stream = (
    signal: AbortSignal | undefined,
    start: (client: Ollama) => Promise<AsyncIterable<StreamLike>>,
  ): AsyncIterable<StreamChunk> => streamChunks(opts, signal, start)
  return {
    host: opts.host,
    chat: (req) =>
      stream(req.signal, (c) =>
        c.chat({ model: req.model, messages: req.messages, stream: true, keep_alive, options: req.options }),
      ),
    chatTurn: (req) =>
      call(req.signal, async (c) => {
        const r = await c.chat({
          model: req.model,
          messages: req.messages,
          tools: req.tools,
          stream: false,
          keep_alive,
          options: req.options,
        })
        return {
          content: r.message.content ?? '',
          toolCalls: (r.message.tool_calls ?? []).map((t) => ({
            name: String(t.function.name),
            arguments: isObject(t.function.arguments) ? t.function.arguments : {},
          })),
          promptTokens: r.prompt_eval_count ?? 0,
          outputTokens: r.eval_count ?? 0,
        }
      }),
    generate: (req) =>
      stream(req.signal, (c) =>
        c.generate({
          model: req.model,
          prompt: req.prompt,
          suffix: req.suffix,
          raw: req.raw,
          stream: true,
          keep_alive,
          options: req.options,
        }),
      ),
    embed: (req) =>
      call(
        req.signal,
        async (c) => (await c.embed({ model: req.model, input: req.input, keep_alive })).embeddings,
      ),
    show: (model) =>
      call(undefined, async (c) => ({ capabilities: (await c.show({ model })).capabilities ?? [] }), probeMs),
    list: () => call(undefined, async (c) => (await c.list()).models.map((m) => m.name), probeMs),
    warmUp: (model, kind) =>
      call(undefined, async (c) => {
        // An empty prompt loads a generate model; an embedding model gets one tiny input to be sure.
        if (kind === 'embed') await c.embed({ model, input: ['warm-up'], keep_alive })
        else await c.generate({ model, prompt: '', keep_alive })
      }),
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** What both `chat` and `generate` stream: one shape for either endpoint's chunk. */
interface StreamLike {
  done: boolean
  message?: { content: string }
  response?: string
  prompt_eval_count?: number
  eval_count?: number
}

async function* streamChunks(
  opts: OllamaOptions,
  signal: AbortSignal | undefined,
  start: (client: Ollama) => Promise<AsyncIterable<StreamLike>>,
): AsyncGenerator<StreamChunk> {
  const deadline = newDeadline(opts.timeoutMs, signal)
  try {
    const it = await start(clientWith(opts.host, deadline.signal))
    for await (const part of it) {
      deadline.rearm()
      const text = part.message?.content ?? part.response ?? ''
      if (!part.done) {
        if (text) yield { text, done: false }
        continue
      }
      yield { text, done: true, promptTokens: part.prompt_eval_count, outputTokens: part.eval_count }
      return
    }
  } catch (e: unknown) {
    throw normalize(e, deadline)
  } finally {
    // Also reached when the consumer stops early (`return()`): closes the request so Ollama stops generating.
    deadline.abort()
    deadline.clear()
  }
}

function clientWith(host: string, signal: AbortSignal): Ollama {
  return new Ollama({
    host,
    fetch: (input, init) =>
      fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  })
}

interface Deadline {
  signal: AbortSignal
  timedOut(): boolean
  callerGone(): boolean
  rearm(): void
  abort(): void
  clear(): void
}

function newDeadline(ms: number, caller: AbortSignal | undefined): Deadline {
  const ac = new AbortController()
  let timedOut = false
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timedOut = true
      ac.abort(new Error(`no answer within ${ms} ms`))
    }, ms)
  }
  const onCaller = () => ac.abort(caller?.reason)
  caller?.addEventListener('abort', onCaller, { once: true })
  if (caller?.aborted) onCaller()
  arm()
  return {
    signal: ac.signal,
    timedOut: () => timedOut,
    callerGone: () => caller?.aborted === true,
    rearm: arm,
    abort: () => ac.abort(),
    clear: () => {
      clearTimeout(timer)
      caller?.removeEventListener('abort', onCaller)
    },
  }
}

function normalize(e: unknown, deadline: Deadline): BackendError {
  if (e instanceof BackendError) return e
  if (deadline.callerGone())
    return new BackendError(NAME, BackendFailure.Aborted, 'request cancelled', { cause: e })
  if (deadline.timedOut())
    return new BackendError(NAME, BackendFailure.Timeout, 'Ollama did not answer in time', { cause: e })
  const status = (e as { status_code?: unknown }).status_code
  const message = e instanceof Error ? e.message : String(e)
  if (status === 404) return new BackendError(NAME, BackendFailure.MissingModel, message, { cause: e })
  if (status === 503) return new BackendError(NAME, BackendFailure.Overloaded, message, { cause: e })
  if (typeof status === 'number') return new BackendError(NAME, BackendFailure.Failed, message, { cause: e })
  // fetch() rejects with a TypeError("fetch failed") whose cause is the socket error (ECONNREFUSED, ...).
  if (e instanceof TypeError) {
    return new BackendError(NAME, BackendFailure.Unreachable, `Ollama is not reachable: ${causeText(e)}`, {
      cause: e,
    })
  }
  // An `{"error": ...}` line inside a stream, or a stream that ended without `done`.
  return new BackendError(NAME, BackendFailure.Failed, message, { cause: e })
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))
}
