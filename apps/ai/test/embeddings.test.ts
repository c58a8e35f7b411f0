import { describe, expect, it } from 'vitest'
import { similarity } from '../src/services/embeddings'
import { LOCAL_EMBED_MODEL } from '../src/services/local-embedder'
import { deadAddress, newAi, newOllama, newTriton, newUser } from './fixtures'

const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`)).text()
  return text.split('\n').filter((l) => l.startsWith(name))
}

describe('embedding fallback: Triton, then Ollama, then the local embedder', () => {
  it('uses Triton when configured and ready, with the nomic document prefix', async () => {
    const triton = await newTriton({ dimensions: 768 })
    const ollama = await newOllama()
    const ai = await newAi({ env: { TRITON_URL: triton.address, OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const res = await ai.client(user.token).ai.embed.mutate({ texts: ['const a = 1', 'b'] })
    expect(res).toMatchObject({ model: 'triton/nomic-embed-text', dimensions: 768 })
    expect(res.vectors).toHaveLength(2)
    expect(triton.embedded).toEqual([['search_document: const a = 1', 'search_document: b']])
    expect(ollama.requests.filter((r) => r.path === '/api/embed')).toHaveLength(0)
    const query = await ai.client(user.token).ai.embed.mutate({ texts: ['where is a'], kind: 'query' })
    expect(query.model).toBe('triton/nomic-embed-text')
    expect(triton.embedded[1]).toEqual(['search_query: where is a'])
  })

  it('falls back to Ollama when Triton is down or its model is not ready, and counts it', async () => {
    const ollama = await newOllama({ embedDimensions: 768 })
    const ai = await newAi({ env: { TRITON_URL: await deadAddress(), OLLAMA_HOST: ollama.url } })
    const user = await newUser(ai.database)
    const res = await ai.client(user.token).ai.embed.mutate({ texts: ['x'] })
    expect(res).toMatchObject({ model: 'ollama/nomic-embed-text', dimensions: 768 })
    expect(ollama.requests.find((r) => r.path === '/api/embed')?.body).toMatchObject({
      input: ['search_document: x'],
    })
    expect(await metric(ai.url, 'mimi_ai_fallbacks_total')).toEqual([
      'mimi_ai_fallbacks_total{task="embed",from="triton",to="ollama"} 1',
    ])

    const triton = await newTriton({ modelReady: false })
    const ai2 = await newAi({ env: { TRITON_URL: triton.address, OLLAMA_HOST: ollama.url } })
    const user2 = await newUser(ai2.database)
    expect((await ai2.client(user2.token).ai.embed.mutate({ texts: ['x'] })).model).toBe(
      'ollama/nomic-embed-text',
    )
    expect(triton.embedded).toEqual([])
  })

  it('falls back to the local lexical embedder when no embedding model is reachable', async () => {
    const ai = await newAi({ env: { OLLAMA_HOST: `http://${await deadAddress()}`, EMBED_DIMENSIONS: '64' } })
    const user = await newUser(ai.database)
    const res = await ai
      .client(user.token)
      .ai.embed.mutate({ texts: ['parseDocName(name)', 'docName parse'] })
    expect(res).toMatchObject({ model: LOCAL_EMBED_MODEL, dimensions: 64 })
    const [a, b] = res.vectors
    expect(similarity({ model: res.model, vector: a! }, { model: res.model, vector: b! })).toBeGreaterThan(
      0.5,
    )
    expect(() =>
      similarity({ model: res.model, vector: a! }, { model: 'ollama/nomic-embed-text', vector: a! }),
    ).toThrow(/Cannot compare vectors/)
    expect(await metric(ai.url, 'mimi_ai_fallbacks_total')).toEqual([
      'mimi_ai_fallbacks_total{task="embed",from="ollama",to="local"} 1',
    ])
  })
})
