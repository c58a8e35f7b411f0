import { eq, and } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { describe, expect, it, vi } from 'vitest'
import { newTestServer, signUp, type TestServer, type TestUser } from '@mimiverse/collab/testing'
import { memberships } from '@mimiverse/db/schema'
import { createAccessChanges, createLogger, type AccessChanges } from '@mimiverse/server-kit'
import type { Role } from '@mimiverse/shared'
import { createAiHandler, parseAiEnv } from '../src/handler'
import { aiClient, errorOf, newAi, newOllama, onCleanup, REDIS_URL, redisAvailable, WAIT } from './fixtures'

/**
 * The completion path's access cache against real revocations: the workspace API (a real collab server) signs
 * users out, and membership rows change, while the AI service keeps answering completions. In one process the
 * change is in force when the API call returns; through Redis, a round trip later; unannounced, after the TTL.
 */
/**
 * Ann owns a project with one file; Bob and Carol are editors of it, Dan a reviewer. All are signed in through
 * the workspace API. `setRole` writes a membership row as an admin would, without any announcement.
 */
async function newTeam(server: TestServer) {
  const [ann, bob, carol, dan] = await Promise.all(
    ['Ann', 'Bob', 'Carol', 'Dan'].map((n) => signUp(server.url, n)),
  )
  const { id: projectId } = await ann!.api.projects.create.mutate({ name: 'cache' })
  const { docName } = await ann!.api.files.create.mutate({ projectId, path: 'a.ts', content: '' })
  const roles: [TestUser, Role][] = [
    [bob!, 'editor'],
    [carol!, 'editor'],
    [dan!, 'reviewer'],
  ]
  await server.database.db
    .insert(memberships)
    .values(roles.map(([u, role]) => ({ projectId, userId: u.id, role })))
  const setRole = async (user: TestUser, role: Role | null) => {
    const row = and(eq(memberships.projectId, projectId), eq(memberships.userId, user.id))
    if (role) await server.database.db.update(memberships).set({ role }).where(row)
    else await server.database.db.delete(memberships).where(row)
  }
  return { ann: ann!, bob: bob!, carol: carol!, dan: dan!, projectId, docName, setRole }
}

/** Whether a user's completion goes through (`ok`) or the tRPC code it is refused with. */
async function completes(url: string, user: TestUser, docName: string): Promise<string> {
  const call = aiClient(url, user.token).ai.complete.mutate({ docName, prefix: 'const a = ', suffix: '' })
  return (await errorOf(call))?.code ?? 'ok'
}

/** The embedded default: the AI handler mounted on the collab server, sharing its bus of access changes. */
async function newEmbedded(ollamaUrl: string, env: Record<string, string> = {}) {
  let bus: AccessChanges | undefined
  const server = await newTestServer({
    mounts: ({ database, accessChanges }) => {
      bus = accessChanges
      const aiEnv = parseAiEnv({
        OLLAMA_HOST: ollamaUrl,
        AI_WARMUP: 'false',
        SEARCH_INDEXER: 'false',
        ...env,
      })
      return [createAiHandler({ env: aiEnv, database, log: createLogger('silent'), accessChanges })]
    },
  })
  onCleanup(() => server.stop())
  return { server, bus: bus! }
}

describe('access cache of the completion path, in one process', () => {
  it('sign-out, removal, demotion to reviewer and joining take effect before the call returns', async () => {
    const ollama = await newOllama({ chunks: ['1'] })
    // A TTL far longer than the test: only the announcements can make this pass.
    const { server, bus } = await newEmbedded(ollama.url, { AI_ACCESS_CACHE_MS: '30000' })
    const { ann, bob, carol, dan, projectId, docName, setRole } = await newTeam(server)
    for (const u of [ann, bob, carol]) expect(await completes(server.url, u, docName)).toBe('ok')
    expect(await completes(server.url, dan, docName)).toBe('FORBIDDEN')

    await bob.api.auth.signOut.mutate()
    expect(await completes(server.url, bob, docName)).toBe('UNAUTHORIZED')

    await setRole(ann, 'reviewer')
    await setRole(carol, null)
    // Unannounced, the cached roles still serve (the TTL bounds this)...
    expect(await completes(server.url, ann, docName)).toBe('ok')
    expect(await completes(server.url, carol, docName)).toBe('ok')
    // ...announced, as the workspace API does for every membership write, they are gone at once.
    await bus.publish({ kind: 'membership', userId: ann.id, projectId })
    await bus.publish({ kind: 'membership', userId: carol.id, projectId })
    expect(await completes(server.url, ann, docName)).toBe('FORBIDDEN')
    expect(await completes(server.url, carol, docName)).toBe('FORBIDDEN')

    // The workspace API's own membership write: Dan's cached reviewer role gives way to the invite's editor.
    await setRole(ann, 'owner')
    await bus.publish({ kind: 'membership', userId: ann.id, projectId })
    const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
    await dan.api.projects.join.mutate({ code })
    expect(await completes(server.url, dan, docName)).toBe('ok')
  })

  it('forgets an unannounced revocation once the TTL has passed', async () => {
    const ollama = await newOllama({ chunks: ['1'] })
    const { server } = await newEmbedded(ollama.url, { AI_ACCESS_CACHE_MS: '200' })
    const { bob, docName, setRole } = await newTeam(server)
    expect(await completes(server.url, bob, docName)).toBe('ok')
    await setRole(bob, 'reviewer')
    await vi.waitFor(async () => expect(await completes(server.url, bob, docName)).toBe('FORBIDDEN'), WAIT)
  })

  it('other procedures never use the cache', async () => {
    const ollama = await newOllama({ chunks: ['1'] })
    const { server } = await newEmbedded(ollama.url, { AI_ACCESS_CACHE_MS: '30000' })
    const { bob, projectId, docName, setRole } = await newTeam(server)
    const stats = () => errorOf(aiClient(server.url, bob.token).ai.completionStats.query({ projectId }))
    expect(await completes(server.url, bob, docName)).toBe('ok')
    expect(await stats()).toBeUndefined()
    await setRole(bob, null)
    expect((await stats())?.code).toBe('FORBIDDEN')
  })
})

describe.skipIf(!(await redisAvailable()))(
  `access cache of the completion path, across instances (Redis at ${REDIS_URL})`,
  () => {
    it('sign-out, joining, demotion and removal on one node reach the caches of two AI handlers', async () => {
      const ollama = await newOllama({ chunks: ['1'] })
      const env = { OLLAMA_HOST: ollama.url, REDIS_URL, AI_ACCESS_CACHE_MS: '30000' }
      const server = await newTestServer({ env: { REDIS_URL } })
      onCleanup(() => server.stop())
      const ais = [
        await newAi({ env, database: server.database }),
        await newAi({ env, database: server.database }),
      ]
      for (const ai of ais) await ai.handler.services.accessChanges.ready()
      const { ann, bob, carol, dan, projectId, docName, setRole } = await newTeam(server)
      const all = async (user: TestUser) => Promise.all(ais.map((ai) => completes(ai.url, user, docName)))
      for (const u of [ann, bob]) expect(await all(u)).toEqual(['ok', 'ok'])
      expect(await all(dan)).toEqual(['FORBIDDEN', 'FORBIDDEN'])

      await bob.api.auth.signOut.mutate()
      await vi.waitFor(async () => expect(await all(bob)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED']), WAIT)

      const { code } = await ann.api.projects.invite.mutate({ projectId, role: 'editor' })
      await dan.api.projects.join.mutate({ code })
      await vi.waitFor(async () => expect(await all(dan)).toEqual(['ok', 'ok']), WAIT)

      // Another node of the workspace API demotes Ann and removes Carol (its own connection to the channel).
      expect(await all(carol)).toEqual(['ok', 'ok'])
      await setRole(ann, 'reviewer')
      await setRole(carol, null)
      const redis = new Redis(REDIS_URL)
      const other = createAccessChanges({ redis, log: createLogger('silent') })
      onCleanup(async () => {
        await other.close()
        redis.disconnect()
      })
      await other.publish({ kind: 'membership', userId: ann.id, projectId })
      await other.publish({ kind: 'membership', userId: carol.id, projectId })
      await vi.waitFor(async () => expect(await all(ann)).toEqual(['FORBIDDEN', 'FORBIDDEN']), WAIT)
      await vi.waitFor(async () => expect(await all(carol)).toEqual(['FORBIDDEN', 'FORBIDDEN']), WAIT)
    })
  },
)
