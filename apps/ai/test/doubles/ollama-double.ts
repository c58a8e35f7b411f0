import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A loopback HTTP server speaking the part of Ollama's API the service uses (`/api/chat`, `/api/generate`
 * streamed as NDJSON, `/api/embed`, `/api/show`, `/api/tags`), so the real `ollama` client is exercised.
 * Knobs: which models are pulled, the pieces to stream (token by token for the agent's scripted answers), their
 * pace (`chunkDelayMs`), a step hook (`beforePiece`), `hold` (pause after piece `holdAfter` until `release()`),
 * `stall` (never answer). It records every request and counts requests whose connection closed before it
 * finished answering (`closedEarly`): what Ollama sees when a caller goes away.
 */
export interface OllamaDouble {
  url: string
  requests: { path: string; body: Record<string, unknown> }[]
  closedEarly: number
  models: string[]
  chunks: string[]
  hold: boolean
  stall: boolean
  /** Sends an `{"error": ...}` line after piece `failAfter`, as Ollama does when a runner fails mid-answer. */
  failMidStream: boolean
  /** Which piece `hold` and `failMidStream` act after (default 0, the first). */
  holdAfter: number
  failAfter: number
  /** Pause between pieces, as a model's token rate (0: as fast as possible). */
  chunkDelayMs: number
  /**
   * Called before piece `i` of a streamed answer is written, and awaited: drives the answer step by step (a
   * test makes people type between two tokens). Null: no pause.
   */
  beforePiece: ((i: number) => Promise<void> | void) | null
  /** `performance.now()` when each piece of the latest streamed answer was written. */
  sentAt: number[]
  embedDimensions: number
  /**
   * The model's turns in a tool-calling conversation (`/api/chat` with `tools`), answered in order, one per
   * request: text, tool calls, or an `error` (Ollama's `{"error": ...}` with status 500). A function gets the
   * request's messages, to answer from what the tools returned. Past the last one: "Done." without tools.
   */
  turns: ScriptedTurn[]
  release(): void
  close(): Promise<void>
}

export interface TurnAnswer {
  content?: string
  toolCalls?: { name: string; arguments: Record<string, unknown> }[]
  error?: string
}
export type ScriptedTurn =
  TurnAnswer | ((messages: { role: string; content: string }[]) => TurnAnswer | Promise<TurnAnswer>)

export async function newOllamaDouble(overrides: Partial<OllamaDouble> = {}): Promise<OllamaDouble> {
  let releaseHold: () => void = () => {}
  let held = new Promise<void>((r) => (releaseHold = r))
  const double: OllamaDouble = {
    url: '',
    requests: [],
    closedEarly: 0,
    models: ['qwen2.5-coder:7b', 'qwen2.5-coder:1.5b-base', 'nomic-embed-text:latest'],
    chunks: ['Hello', ', ', 'world'],
    hold: false,
    stall: false,
    failMidStream: false,
    holdAfter: 0,
    failAfter: 0,
    chunkDelayMs: 0,
    beforePiece: null,
    sentAt: [],
    embedDimensions: 768,
    turns: [],
    release: () => {
      releaseHold()
      held = new Promise<void>((r) => (releaseHold = r))
    },
    close: async () => {
      releaseHold()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
    ...overrides,
  }
  const server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) double.closedEarly += 1
    })
    readJson(req)
      .then((body) => {
        const path = (req.url ?? '').split('?')[0] ?? ''
        double.requests.push({ path, body })
        return answer(double, path, body, res, () => held)
      })
      .catch(() => res.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return double
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

async function answer(
  d: OllamaDouble,
  path: string,
  body: Record<string, unknown>,
  res: ServerResponse,
  held: () => Promise<void>,
): Promise<void> {
  if (d.stall) return // never answers; the client's deadline or abort closes the connection
  if (path === '/api/tags') return json(res, 200, { models: d.models.map((name) => ({ name, model: name })) })
  const model = String(body.model)
  const known = d.models.includes(model) || d.models.includes(`${model}:latest`)
  if (!known) return json(res, 404, { error: `model '${model}' not found` })
  if (path === '/api/show') return json(res, 200, { capabilities: ['completion', 'insert'], template: '' })
  if (path === '/api/embed') {
    const input = (body.input as string[] | undefined) ?? []
    return json(res, 200, { model, embeddings: input.map((t) => vectorOf(t, d.embedDimensions)) })
  }
  if (path !== '/api/chat' && path !== '/api/generate') return json(res, 404, { error: 'not found' })
  if (path === '/api/chat' && Array.isArray(body.tools)) return answerTurn(d, model, body, res)
  const piece = (text: string, done: boolean) =>
    path === '/api/chat'
      ? { model, message: { role: 'assistant', content: text }, done }
      : { model, response: text, done }
  const last = { ...piece('', true), done_reason: 'stop', prompt_eval_count: 12, eval_count: d.chunks.length }
  if (body.stream === false) return json(res, 200, { ...last, ...piece(d.chunks.join(''), true) })
  res.writeHead(200, { 'content-type': 'application/x-ndjson' })
  d.sentAt = []
  for (const [i, text] of d.chunks.entries()) {
    if (i > 0 && d.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, d.chunkDelayMs))
    if (d.beforePiece) await d.beforePiece(i)
    d.sentAt.push(performance.now())
    res.write(`${JSON.stringify(piece(text, false))}\n`)
    if (i === d.holdAfter && d.hold) await held()
    if (i === d.failAfter && d.failMidStream) {
      return void res.end(`${JSON.stringify({ error: 'runner crashed' })}\n`)
    }
    if (res.destroyed) return
  }
  res.end(`${JSON.stringify(last)}\n`)
}

async function answerTurn(
  d: OllamaDouble,
  model: string,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<void> {
  const next = d.turns.shift() ?? { content: 'Done.' }
  const turn =
    typeof next === 'function' ? await next(body.messages as { role: string; content: string }[]) : next
  if (turn.error) return json(res, 500, { error: turn.error })
  json(res, 200, {
    model,
    message: {
      role: 'assistant',
      content: turn.content ?? '',
      ...(turn.toolCalls ? { tool_calls: turn.toolCalls.map((f) => ({ function: f })) } : {}),
    },
    done: true,
    done_reason: 'stop',
    prompt_eval_count: 100,
    eval_count: 20,
  })
}

/** A deterministic unit vector per text (not a model: the double only has to be consistent). */
function vectorOf(text: string, dims: number): number[] {
  const v = Array.from({ length: dims }, (_, i) => Math.sin(text.length + i))
  const n = Math.hypot(...v)
  return v.map((x) => x / n)
}
