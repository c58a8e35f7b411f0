import { describe, expect, it, vi } from 'vitest'
import { WAIT, deadAddress, errorOf, newAi, newOllama, newProject, newUser } from './fixtures'

const ask = (content: string) => [{ role: 'user' as const, content }]

describe('ai.chat over HTTP (httpBatchStreamLink, JSON lines)', () => {
  it('streams the answer: the client sees the first piece before the model has finished', async () => {
    const ollama = await newOllama({ hold: true })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, user.id)
    const stream = await ai.client(user.token).ai.chat.mutate({ projectId, messages: ask('hi') })
    const it = stream[Symbol.asyncIterator]()
    expect((await it.next()).value).toEqual({
      type: 'context',
      files: [],
      missing: [],
      codebase: 'not-requested',
    })
    // The double is holding the rest of the answer: this piece reached the client before the end.
    expect((await it.next()).value).toEqual({ type: 'text', text: 'Hello' })
    ollama.release()
    const rest: unknown[] = []
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value)
    expect(rest).toEqual([
      { type: 'text', text: ', ' },
      { type: 'text', text: 'world' },
      {
        type: 'done',
        model: 'qwen2.5-coder:7b',
        promptTokens: 12,
        outputTokens: 3,
        latencyMs: expect.any(Number),
      },
    ])
    const metrics = await (await fetch(`${ai.url}/metrics`)).text()
    expect(metrics).toContain(
      'mimi_ai_requests_total{task="chat",model="qwen2.5-coder:7b",backend="ollama",outcome="ok"} 1',
    )
    expect(metrics).toContain('mimi_ai_tokens_total{task="chat",model="qwen2.5-coder:7b",kind="output"} 3')
  })

  it('adds the open file, the selection and @file mentions from the shared documents', async () => {
    const ollama = await newOllama()
    // Without code search (`codebase: null`), `@codebase` says so; search.test.ts covers it with search.
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url }, overrides: { codebase: null } })
    const user = await newUser(ai.database)
    const { projectId, docs } = await newProject(ai.database, user.id, {
      'src/main.ts': 'import { helper } from "./util"\n',
      'src/util.ts': 'export const helper = () => 42\n',
    })
    const stream = await ai.client(user.token).ai.chat.mutate({
      projectId,
      docName: docs['src/main.ts'],
      selection: { text: 'helper', startLine: 1, endLine: 1 },
      messages: ask('what does @file:src/util.ts return? also @file:nope.ts and @codebase'),
    })
    const events: unknown[] = []
    for await (const e of stream) events.push(e)
    expect(events[0]).toEqual({
      type: 'context',
      files: ['src/main.ts', 'src/util.ts'],
      missing: ['nope.ts'],
      codebase: 'unavailable',
    })
    const sent = ollama.requests.find((r) => r.path === '/api/chat')!.body.messages as {
      role: string
      content: string
    }[]
    const system = sent
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n')
    expect(system).toContain('import { helper } from "./util"')
    expect(system).toContain('export const helper = () => 42')
    expect(system).toContain('The user selected (lines 1-1)')
    expect(system).toContain('code search is not available here')
    expect(sent.at(-1)).toEqual({
      role: 'user',
      content: 'what does @file:src/util.ts return? also @file:nope.ts and @codebase',
    })
  })

  it('closes the request to Ollama when the client goes away mid-answer', async () => {
    const ollama = await newOllama({ hold: true })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, user.id)
    const ac = new AbortController()
    const stream = await ai
      .client(user.token)
      .ai.chat.mutate({ projectId, messages: ask('hi') }, { signal: ac.signal })
    const it = stream[Symbol.asyncIterator]()
    await it.next()
    expect((await it.next()).value).toEqual({ type: 'text', text: 'Hello' })
    ac.abort()
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(1), WAIT)
  })

  it('reports a failure in the middle of an answer inside the stream, with its code and no internals', async () => {
    const ollama = await newOllama({ failMidStream: true })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, user.id)
    const stream = await ai.client(user.token).ai.chat.mutate({ projectId, messages: ask('hi') })
    const seen: unknown[] = []
    const error = await errorOf(
      (async () => {
        for await (const e of stream) seen.push(e)
      })(),
    )
    expect(seen.slice(1)).toEqual([{ type: 'text', text: 'Hello' }])
    expect(error?.code).toBe('SERVICE_UNAVAILABLE')
    expect(error?.message).toBe(
      'The chat model qwen2.5-coder:7b failed: runner crashed. Check the Ollama log.',
    )
  })

  it('fails fast, naming what to start, when Ollama is down or the model is not pulled', async () => {
    const ai = await newAi({ env: { OLLAMA_HOST: `http://${await deadAddress()}`, BREAKER_FAILURES: '2' } })
    const user = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, user.id)
    const chat = () => ai.client(user.token).ai.chat.mutate({ projectId, messages: ask('hi') })
    const down = await errorOf(chat())
    expect(down?.code).toBe('SERVICE_UNAVAILABLE')
    expect(down?.message).toContain('docker compose up ollama')
    expect(down?.message).toContain('ollama pull qwen2.5-coder:7b')
    await chat().catch(() => {})
    expect(ai.handler.services.breakers.ollama.state()).toBe('open')
    expect((await errorOf(chat()))?.code).toBe('SERVICE_UNAVAILABLE')

    const ollama = await newOllama({ models: [] })
    const ai2 = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user2 = await newUser(ai2.database)
    const p2 = await newProject(ai2.database, user2.id)
    const missing = await errorOf(
      ai2.client(user2.token).ai.chat.mutate({ projectId: p2.projectId, messages: ask('hi') }),
    )
    expect(missing).toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    expect(missing?.message).toContain('run `ollama pull qwen2.5-coder:7b`')
  })
})
