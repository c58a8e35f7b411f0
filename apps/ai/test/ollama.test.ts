import { describe, expect, it, vi } from 'vitest'
import { BackendError } from '../src/services/backend-error'
import { createOllamaBackend, type StreamChunk } from '../src/services/ollama'
import { WAIT, deadAddress, newOllama } from './fixtures'

const backend = (host: string, timeoutMs = 5000) => createOllamaBackend({ host, timeoutMs, keepAlive: '30m' })

async function failureOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e: unknown) {
    return e instanceof BackendError ? e.failure : `not a BackendError: ${String(e)}`
  }
}

async function drain(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = []
  for await (const c of stream) out.push(c)
  return out
}

describe('Ollama client against a loopback Ollama', () => {
  it('streams chat pieces as the NDJSON lines arrive, then token counts', async () => {
    const ollama = await newOllama({ hold: true })
    const stream = backend(ollama.url).chat({
      model: 'qwen2.5-coder:7b',
      messages: [{ role: 'user', content: 'hi' }],
    })
    const it = stream[Symbol.asyncIterator]()
    // The double holds the rest of the answer until released: this piece arrived before the end.
    expect((await it.next()).value).toEqual({ text: 'Hello', done: false })
    ollama.release()
    const rest: StreamChunk[] = []
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value)
    expect(rest.map((c) => c.text).join('')).toBe(', world')
    expect(rest.at(-1)).toMatchObject({ done: true, promptTokens: 12, outputTokens: 3 })
    expect(ollama.requests[0]).toMatchObject({
      path: '/api/chat',
      body: { model: 'qwen2.5-coder:7b', stream: true, keep_alive: '30m' },
    })
  })

  it('closes the request when the caller aborts, and when the consumer stops reading', async () => {
    const ollama = await newOllama({ hold: true })
    const ac = new AbortController()
    const stream = backend(ollama.url).generate({
      model: 'qwen2.5-coder:1.5b-base',
      prompt: 'x',
      signal: ac.signal,
    })
    const it = stream[Symbol.asyncIterator]()
    await it.next()
    const pending = it.next()
    ac.abort()
    expect(await failureOf(pending)).toBe('aborted')
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(1), WAIT)

    const it2 = backend(ollama.url).chat({ model: 'qwen2.5-coder:7b', messages: [] })[Symbol.asyncIterator]()
    await it2.next()
    await it2.return?.()
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(2), WAIT)
  })

  it('times out a stalled stream and a stalled embed, closing the requests', async () => {
    const ollama = await newOllama({ stall: true })
    const b = backend(ollama.url, 150)
    expect(await failureOf(drain(b.chat({ model: 'qwen2.5-coder:7b', messages: [] })))).toBe('timeout')
    expect(await failureOf(b.embed({ model: 'nomic-embed-text', input: ['a'] }))).toBe('timeout')
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(2), WAIT)
  })

  it('tells an unreachable Ollama from a missing model', async () => {
    const b = backend(`http://${await deadAddress()}`)
    expect(await failureOf(drain(b.chat({ model: 'm', messages: [] })))).toBe('unreachable')
    expect(await failureOf(b.list())).toBe('unreachable')
    const ollama = await newOllama({ models: [] })
    expect(
      await failureOf(drain(backend(ollama.url).chat({ model: 'qwen2.5-coder:7b', messages: [] }))),
    ).toBe('missing-model')
  })

  it('embeds in one batch, shows capabilities, lists models and warms up with an empty prompt', async () => {
    const ollama = await newOllama({ embedDimensions: 8 })
    const b = backend(ollama.url)
    const vectors = await b.embed({ model: 'nomic-embed-text', input: ['a', 'bb', 'ccc'] })
    expect(vectors).toHaveLength(3)
    expect(vectors[0]).toHaveLength(8)
    expect(ollama.requests.filter((r) => r.path === '/api/embed')).toHaveLength(1)
    expect((await b.show('qwen2.5-coder:1.5b-base')).capabilities).toContain('insert')
    expect(await b.list()).toContain('qwen2.5-coder:7b')
    await b.warmUp('qwen2.5-coder:1.5b-base', 'generate')
    expect(ollama.requests.at(-1)).toMatchObject({
      path: '/api/generate',
      body: { model: 'qwen2.5-coder:1.5b-base', prompt: '', keep_alive: '30m' },
    })
  })
})
