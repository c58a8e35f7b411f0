import { describe, expect, it, vi } from 'vitest'
import { WAIT, errorOf, newAi, newOllama, newProject, newUser } from './fixtures'

const generates = (o: { requests: { path: string }[] }) =>
  o.requests.filter((r) => r.path === '/api/generate').length

/** The AI handler on the double, a user and a project with the given files; the model warmed unless `cold`. */
async function setup(opts: { chunks: string[]; cold?: boolean; files?: Record<string, string> }) {
  const ollama = await newOllama({ chunks: opts.chunks })
  const ai = await newAi({ env: { OLLAMA_HOST: ollama.url } })
  if (!opts.cold) await ai.handler.services.completion.warmUp()
  const user = await newUser(ai.database)
  const project = await newProject(ai.database, user.id, opts.files ?? { 'a.ts': '' })
  return { ollama, ai, user, api: ai.client(user.token).ai, ...project }
}

describe('inline completion', () => {
  it('re-attaches a request that typed what the stream in flight produced, with one model call', async () => {
    const { ollama, ai, api, docs } = await setup({ chunks: ['total', ' + 1', '\n'] })
    ollama.hold = true
    const docName = docs['a.ts']!
    const ac = new AbortController()
    const first = api.complete.mutate({ docName, prefix: 'return ', suffix: '' }, { signal: ac.signal })
    const flights = () => ai.handler.services.completion.inFlight()
    await vi.waitFor(() => expect(flights()[0]?.produced).toBe('total'), WAIT)
    // The user typed "tot", which the stream has produced: the probe attaches instead of calling the model.
    const second = api.complete.mutate({ docName, prefix: 'return tot', suffix: '', reuseOnly: true })
    await vi.waitFor(() => expect(flights()[0]?.subscribers).toBe(2), WAIT)
    // The first caller goes away (the keystroke); the second still holds the stream open.
    ac.abort()
    await expect(first).rejects.toThrow(/abort/i)
    ollama.release()
    expect(await second).toMatchObject({ text: 'al + 1', reused: true, cached: false })
    expect(generates(ollama)).toBe(2)
    expect(ollama.closedEarly).toBe(0)
  })

  it('a probe that typed something else gets nothing and calls no model', async () => {
    const { ollama, ai, api, docs } = await setup({ chunks: ['total'] })
    ollama.hold = true
    const docName = docs['a.ts']!
    const first = api.complete.mutate({ docName, prefix: 'return ', suffix: '' })
    const flights = () => ai.handler.services.completion.inFlight()
    await vi.waitFor(() => expect(flights()[0]?.produced).toBe('total'), WAIT)
    const probe = await api.complete.mutate({ docName, prefix: 'return x', suffix: '', reuseOnly: true })
    expect(probe).toMatchObject({ text: '', reused: false })
    ollama.release()
    expect((await first).text).toBe('total')
    expect(generates(ollama)).toBe(2)
  })

  it('closes the model stream when the only caller aborts, and serves a repeat from the cache', async () => {
    const { ollama, api, docs } = await setup({ chunks: ['42'] })
    const docName = docs['a.ts']!
    const input = { docName, prefix: 'const a = ', suffix: ';\n' }
    expect(await api.complete.mutate(input)).toMatchObject({ text: '42', cached: false })
    const hit = await api.complete.mutate(input)
    expect(hit).toMatchObject({ text: '42', cached: true, modelMs: 0 })
    expect(generates(ollama)).toBe(2)

    ollama.hold = true
    const ac = new AbortController()
    const pending = errorOf(api.complete.mutate({ ...input, prefix: 'let b = ' }, { signal: ac.signal }))
    await vi.waitFor(() => expect(generates(ollama)).toBe(3), WAIT)
    ac.abort()
    await pending
    await vi.waitFor(() => expect(ollama.closedEarly).toBe(1), WAIT)
  })

  it('lets the first request to a cold model finish after its caller left, and caches its answer', async () => {
    const { ollama, ai, api, docs } = await setup({ chunks: ['loaded'], cold: true })
    ollama.hold = true
    const input = { docName: docs['a.ts']!, prefix: 'const s = "', suffix: '"' }
    const ac = new AbortController()
    const pending = errorOf(api.complete.mutate(input, { signal: ac.signal }))
    await vi.waitFor(() => expect(generates(ollama)).toBe(1), WAIT)
    ac.abort()
    expect((await pending)?.message).toMatch(/abort/i)
    ollama.release()
    await vi.waitFor(() => expect(ai.handler.services.completion.inFlight()).toEqual([]), WAIT)
    expect(ollama.closedEarly).toBe(0)
    expect(await api.complete.mutate(input)).toMatchObject({ text: 'loaded', cached: true })
    expect(generates(ollama)).toBe(1)
  })

  it('puts other open files, recent edits and search hits ahead of the file, within the budget', async () => {
    const ollama = await newOllama({ chunks: ['1'] })
    const search = vi.fn(() =>
      Promise.resolve([{ path: 'src/hit.ts', text: 'export const hitFromSearch = 1' }]),
    )
    const ai = await newAi({ env: { OLLAMA_HOST: ollama.url }, overrides: { codebase: { search } } })
    await ai.handler.services.completion.warmUp()
    const user = await newUser(ai.database)
    const { docs, projectId } = await newProject(ai.database, user.id, {
      'src/a.ts': '',
      'src/money.ts': 'export function addMoney(total: number, amount: number) {\n  return total + amount\n}',
    })
    await ai.client(user.token).ai.complete.mutate({
      docName: docs['src/a.ts']!,
      path: 'src/a.ts',
      prefix: 'const next = addMoney(total, ',
      suffix: ')',
      openFiles: [docs['src/a.ts']!, docs['src/money.ts']!],
      recentEdits: [{ path: 'src/b.ts', text: 'const recentlyTyped = 2' }],
    })
    const prompt = String(ollama.requests.filter((r) => r.path === '/api/generate')[1]?.body.prompt)
    expect(
      prompt.startsWith(`<|repo_name|>${projectId}\n<|file_sep|>src/money.ts\nexport function addMoney`),
    ).toBe(true)
    expect(prompt).toContain('<|file_sep|>src/hit.ts\nexport const hitFromSearch = 1\n')
    expect(prompt).toContain(
      '<|file_sep|>src/b.ts\nconst recentlyTyped = 2\n<|file_sep|>src/a.ts\n<|fim_prefix|>const next',
    )
    expect(search).toHaveBeenCalledWith(projectId, 'const next = addMoney(total,', 3)

    const other = await newProject(ai.database, user.id, { 'x.ts': 'secret' })
    const refused = await errorOf(
      ai.client(user.token).ai.complete.mutate({
        docName: docs['src/a.ts']!,
        prefix: 'y',
        suffix: '',
        openFiles: [other.docs['x.ts']!],
      }),
    )
    expect(refused).toEqual({ code: 'BAD_REQUEST', message: 'openFiles: a document is not in this project' })
  })
})

describe('completion events and stats', () => {
  it('records shown, accepted and dismissed; members read acceptance rate and latency percentiles', async () => {
    const { ai, api, docs, projectId, addMember } = await setup({ chunks: ['1'] })
    const docName = docs['a.ts']!
    const model = 'qwen2.5-coder:1.5b-base'
    for (const latencyMs of [100, 200, 300, 400])
      await api.completionEvent.mutate({ docName, kind: 'shown', latencyMs, model })
    await api.completionEvent.mutate({ docName, kind: 'accepted', latencyMs: 100, model })
    await api.completionEvent.mutate({ docName, kind: 'dismissed', latencyMs: 200, model })
    expect(await api.completionStats.query({ projectId })).toEqual({
      shown: 4,
      accepted: 1,
      dismissed: 1,
      acceptanceRate: 0.25,
      latencyMs: { p50: 250, p90: 370, p99: 397 },
    })

    const reviewer = await newUser(ai.database, 'Rita')
    await addMember(reviewer.id, 'reviewer')
    const rita = ai.client(reviewer.token).ai
    expect((await rita.completionStats.query({ projectId })).shown).toBe(4)
    expect(
      (await errorOf(rita.completionEvent.mutate({ docName, kind: 'shown', latencyMs: 1, model })))?.code,
    ).toBe('FORBIDDEN')
    const stranger = await newUser(ai.database, 'Stan')
    expect((await errorOf(ai.client(stranger.token).ai.completionStats.query({ projectId })))?.code).toBe(
      'FORBIDDEN',
    )
  })
})
