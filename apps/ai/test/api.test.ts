import { describe, expect, it, vi } from 'vitest'
import { WAIT, deadAddress, errorOf, newAi, newOllama, newProject, newTriton, newUser } from './fixtures'

describe('ai.complete', () => {
  it('asks the completion model with Qwen FIM tokens and serves a repeat from the cache', async () => {
    const ollama = await newOllama({ chunks: ['42', '<|endoftext|>'] })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const { docs } = await newProject(ai.database, user.id, { 'src/a.ts': 'const a = \n' })
    const input = { docName: docs['src/a.ts']!, prefix: 'const a = ', suffix: '\n', path: 'src/a.ts' }
    const first = await ai.client(user.token).ai.complete.mutate(input)
    expect(first).toMatchObject({ text: '42', model: 'qwen2.5-coder:1.5b-base', cached: false })
    const sent = ollama.requests.find((r) => r.path === '/api/generate')!.body
    expect(sent).toMatchObject({
      model: 'qwen2.5-coder:1.5b-base',
      raw: true,
      stream: true,
      prompt: '<|file_sep|>src/a.ts\n<|fim_prefix|>const a = <|fim_suffix|>\n<|fim_middle|>',
      options: { temperature: 0.01, num_predict: 64 },
    })
    expect((sent.options as { stop: string[] }).stop).toContain('<|fim_prefix|>')
    const second = await ai.client(user.token).ai.complete.mutate(input)
    expect(second).toMatchObject({ text: '42', cached: true })
    expect(ollama.requests.filter((r) => r.path === '/api/generate')).toHaveLength(1)
    const metrics = await (await fetch(`${ai.url}/metrics`)).text()
    expect(metrics).toContain('mimi_ai_cache_hits_total{task="complete"} 1')
    expect(metrics).toContain('mimi_ai_cache_misses_total{task="complete"} 1')
  })

  it("uses Ollama's suffix mode for models whose FIM tokens we do not know", async () => {
    const ollama = await newOllama({ models: ['codellama:7b-code'], chunks: ['1'] })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url, MODEL_COMPLETE: 'codellama:7b-code' } })
    const user = await newUser(ai.database)
    const { docs } = await newProject(ai.database, user.id, { 'a.py': '' })
    await ai
      .client(user.token)
      .ai.complete.mutate({ docName: docs['a.py']!, prefix: 'x = ', suffix: '\nprint(x)' })
    expect(ollama.requests.find((r) => r.path === '/api/generate')?.body).toMatchObject({
      model: 'codellama:7b-code',
      prompt: 'x = ',
      suffix: '\nprint(x)',
      stream: true,
    })
    expect(ollama.requests[0]?.body.raw).toBeFalsy()
  })

  it('closes the request to Ollama when the editor aborts (the next keystroke)', async () => {
    const ollama = await newOllama({ hold: true })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const { docs } = await newProject(ai.database, user.id, { 'a.ts': '' })
    // A warm model: a cold one's first request is let finish (see test/complete.test.ts).
    ollama.hold = false
    await ai.handler.services.completion.warmUp()
    ollama.hold = true
    const ac = new AbortController()
    const pending = errorOf(
      ai
        .client(user.token)
        .ai.complete.mutate({ docName: docs['a.ts']!, prefix: 'x', suffix: '' }, { signal: ac.signal }),
    )
    const generates = () => ollama.requests.filter((r) => r.path === '/api/generate').length
    await vi.waitFor(() => expect(generates()).toBe(2), WAIT)
    ac.abort()
    expect((await pending)?.message).toMatch(/abort/i)
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(1), WAIT)
  })

  it('gives up after its deadline and says the model may still be loading', async () => {
    const ollama = await newOllama({ stall: true })
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url, COMPLETE_TIMEOUT_MS: '150' } })
    const user = await newUser(ai.database)
    const { docs } = await newProject(ai.database, user.id, { 'a.ts': '' })
    const error = await errorOf(
      ai.client(user.token).ai.complete.mutate({ docName: docs['a.ts']!, prefix: 'x', suffix: '' }),
    )
    expect(error?.code).toBe('SERVICE_UNAVAILABLE')
    expect(error?.message).toMatch(/did not answer in time/)
  })
})

describe('access, input and limits', () => {
  it('needs a session (Bearer or the mimi_session cookie) and project membership', async () => {
    const ollama = await newOllama()
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
    const owner = await newUser(ai.database, 'Owner')
    const stranger = await newUser(ai.database, 'Stranger')
    const reviewer = await newUser(ai.database, 'Reviewer')
    const { projectId, docs, addMember } = await newProject(ai.database, owner.id, { 'a.ts': 'x' })
    await addMember(reviewer.id, 'reviewer')
    const docName = docs['a.ts']!
    const complete = { docName, prefix: 'x', suffix: '' }
    expect((await errorOf(ai.client().ai.complete.mutate(complete)))?.code).toBe('UNAUTHORIZED')
    expect((await errorOf(ai.client('forged').ai.models.query()))?.code).toBe('UNAUTHORIZED')
    const forbidden = await errorOf(ai.client(stranger.token).ai.complete.mutate(complete))
    expect(forbidden).toEqual({ code: 'FORBIDDEN', message: 'You are not a member of this project' })
    expect(
      (
        await errorOf(
          ai
            .client(stranger.token)
            .ai.chat.mutate({ projectId, messages: [{ role: 'user', content: 'hi' }] }),
        )
      )?.code,
    ).toBe('FORBIDDEN')
    expect(await errorOf(ai.client(reviewer.token).ai.complete.mutate(complete))).toEqual({
      code: 'FORBIDDEN',
      message: 'Reviewers do not get inline completions',
    })
    const viaCookie = await fetch(`${ai.url}/ai/trpc/ai.models`, {
      headers: { cookie: `mimi_session=${owner.token}` },
    })
    expect(viaCookie.status).toBe(200)
    const csrf = await fetch(`${ai.url}/ai/trpc/ai.complete`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `mimi_session=${owner.token}`,
        origin: 'https://evil.example',
      },
      body: JSON.stringify(complete),
    })
    expect(csrf.status).toBe(403)
  })

  it('validates inputs with readable messages', async () => {
    const ai = await newAi({ env: { OLLAMA_HOST: `http://${await deadAddress()}` } })
    const user = await newUser(ai.database)
    const { projectId } = await newProject(ai.database, user.id)
    const api = ai.client(user.token).ai
    const tooMany = Array.from({ length: 51 }, () => ({ role: 'user' as const, content: 'x' }))
    expect(await errorOf(api.chat.mutate({ projectId, messages: tooMany }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'messages: at most 50 messages',
    })
    expect(
      await errorOf(
        api.chat.mutate({ projectId, messages: [{ role: 'user', content: 'x'.repeat(32_001) }] }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      message: 'messages.0.content: a message is longer than 32000 characters',
    })
    expect(
      await errorOf(api.complete.mutate({ docName: 'nope', prefix: 'x'.repeat(32_001), suffix: '' })),
    ).toEqual({
      code: 'BAD_REQUEST',
      message: 'prefix: prefix is longer than 32000 characters',
    })
    expect(await errorOf(api.complete.mutate({ docName: 'not-a-doc', prefix: '', suffix: '' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'docName: not a document name',
    })
  })

  it('rate limits each user with a clear message (in-process)', async () => {
    const ollama = await newOllama()
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url, AI_EMBED_PER_MINUTE: '2' } })
    const a = await newUser(ai.database, 'A')
    const b = await newUser(ai.database, 'B')
    await ai.client(a.token).ai.embed.mutate({ texts: ['1'] })
    await ai.client(a.token).ai.embed.mutate({ texts: ['2'] })
    const refused = await errorOf(ai.client(a.token).ai.embed.mutate({ texts: ['3'] }))
    expect(refused?.code).toBe('TOO_MANY_REQUESTS')
    expect(refused?.message).toMatch(/^Too many AI embed requests; try again in \d+ s$/)
    await ai.client(b.token).ai.embed.mutate({ texts: ['1'] })
    expect(await (await fetch(`${ai.url}/metrics`)).text()).toContain(
      'mimi_ai_rate_limited_total{task="embed"} 1',
    )
  })
})

describe('health, readiness, metrics and ai.models', () => {
  it('answers healthz, readyz and Prometheus metrics', async () => {
    const ai = await newAi({ env: { OLLAMA_HOST: `http://${await deadAddress()}` } })
    expect(await (await fetch(`${ai.url}/ai/healthz`)).json()).toMatchObject({ status: 'ok' })
    const ready = await fetch(`${ai.url}/ai/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      breakers: { ollama: 'closed' },
      search: { mode: 'hybrid' },
    })
    const metrics = await fetch(`${ai.url}/ai/metrics`)
    expect(metrics.headers.get('content-type')).toContain('text/plain')
    expect(await metrics.text()).toContain('# TYPE mimi_ai_requests_total counter')
  })

  it('warms up the completion, chat and embedding models at start, with keep_alive', async () => {
    const ollama = await newOllama()
    await newAi({ env: { OLLAMA_HOST: ollama.url, AI_WARMUP: 'true', OLLAMA_KEEP_ALIVE: '1h' } })
    await vi.waitFor(() => expect(ollama.requests).toHaveLength(3), WAIT)
    expect(ollama.requests.map((r) => [r.path, r.body.model, r.body.prompt, r.body.keep_alive])).toEqual([
      ['/api/generate', 'qwen2.5-coder:1.5b-base', '', '1h'],
      ['/api/generate', 'qwen2.5-coder:7b', '', '1h'],
      ['/api/embed', 'nomic-embed-text', undefined, '1h'],
    ])
  })

  it('reports what serves each task and what to do when it is down', async () => {
    const ollama = await newOllama({ models: ['qwen2.5-coder:7b', 'nomic-embed-text:latest'] })
    const triton = await newTriton()
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url, TRITON_URL: triton.address } })
    const user = await newUser(ai.database)
    const report = await ai.client(user.token).ai.models.query()
    expect(report.tasks).toEqual([
      {
        task: 'chat',
        model: 'qwen2.5-coder:7b',
        backend: 'ollama',
        servedBy: 'qwen2.5-coder:7b',
        status: 'ready',
      },
      {
        task: 'complete',
        model: 'qwen2.5-coder:1.5b-base',
        backend: 'ollama',
        servedBy: 'qwen2.5-coder:1.5b-base',
        status: 'missing',
        hint: 'ollama pull qwen2.5-coder:1.5b-base',
      },
      {
        task: 'embed',
        model: 'nomic-embed-text',
        backend: 'triton',
        servedBy: 'nomic-embed-text',
        status: 'ready',
      },
    ])
    expect(report.backends.triton).toMatchObject({ ready: true, modelReady: true, breaker: 'closed' })
    // Every user reads this: it names no internal address.
    const said = JSON.stringify(report)
    expect(said).not.toContain(ollama.url.replace(/^https?:\/\//, ''))
    expect(said).not.toContain(triton.address)
    expect(said).not.toMatch(/127\.0\.0\.1|localhost|https?:/)

    const down = await newAi({ env: { OLLAMA_HOST: `http://${await deadAddress()}` } })
    const user2 = await newUser(down.database)
    const report2 = await down.client(user2.token).ai.models.query()
    expect(report2.tasks.map((t) => [t.task, t.backend, t.status])).toEqual([
      ['chat', 'ollama', 'unreachable'],
      ['complete', 'ollama', 'unreachable'],
      ['embed', 'local', 'ready'],
    ])
    expect(report2.tasks[0]?.hint).toContain('docker compose up ollama')
    expect(report2.backends).toMatchObject({ ollama: { reachable: false }, triton: null })
  })
})
