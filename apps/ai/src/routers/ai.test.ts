import { describe, expect, it } from 'vitest'
import { newTestDatabase } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { newProject, newUser, onCleanup } from '../../test/fixtures'
import { parseEnv } from '../env'
import { appRouter } from '../router'
import { createServices } from '../services/index'
import type { OllamaBackend, StreamChunk } from '../services/ollama'
import { createCallerFactory } from '../trpc'

/** An in-memory stand-in behind our Ollama interface: streams fixed pieces, records what it was asked. */
function fakeOllama(pieces: string[]) {
  const asked: unknown[] = []
  async function* stream(req: unknown): AsyncGenerator<StreamChunk> {
    asked.push(req)
    for (const text of pieces) yield { text, done: false }
    yield { text: '', done: true, promptTokens: 1, outputTokens: pieces.length }
  }
  const backend: OllamaBackend = {
    host: 'fake',
    chat: stream,
    generate: stream,
    chatTurn: () => Promise.resolve({ content: '', toolCalls: [], promptTokens: 0, outputTokens: 0 }),
    embed: (req) => Promise.resolve(req.input.map(() => [1, 0])),
    show: () => Promise.resolve({ capabilities: [] }),
    list: () => Promise.resolve([]),
    warmUp: () => Promise.resolve(),
  }
  return { backend, asked }
}

async function newCaller(pieces: string[]) {
  const database = await newTestDatabase()
  onCleanup(() => database.close())
  const log = createLogger('silent')
  const ollama = fakeOllama(pieces)
  const services = createServices(parseEnv({}), database.db, log, { ollama: ollama.backend, triton: null })
  onCleanup(() => services.close())
  const createCaller = createCallerFactory(appRouter)
  const as = (user: { id: string; email: string; name: string } | null) =>
    createCaller({ services, log, user })
  return { database, as, ollama }
}

describe('aiRouter through createCaller', () => {
  it('streams chat events for members and refuses documents of another project', async () => {
    const { database, as } = await newCaller(['a', 'b'])
    const user = await newUser(database)
    const mine = await newProject(database, user.id)
    const theirs = await newProject(database, user.id, { 'x.ts': '' })
    const caller = as({ id: user.id, email: 'a@example.com', name: user.name })
    const events: unknown[] = []
    for await (const e of await caller.ai.chat({
      projectId: mine.projectId,
      messages: [{ role: 'user', content: 'q' }],
    }))
      events.push(e)
    expect(events.map((e) => (e as { type: string }).type)).toEqual(['context', 'text', 'text', 'done'])
    await expect(
      caller.ai.chat({
        projectId: mine.projectId,
        docName: theirs.docs['x.ts'],
        messages: [{ role: 'user', content: 'q' }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(as(null).ai.models()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })

  it('refuses a conversation that does not end with the user', async () => {
    const { database, as } = await newCaller([])
    const user = await newUser(database)
    const { projectId } = await newProject(database, user.id)
    await expect(
      as({ id: user.id, email: 'a@example.com', name: 'A' }).ai.chat({
        projectId,
        messages: [{ role: 'assistant', content: 'hello' }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })
})
