import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '@mimiverse/server-kit'
import { agentRuns } from '@mimiverse/db/schema'
import { newTestDatabase } from '@mimiverse/db/testing'
import { parseEnv } from '../src/env'
import { createServices } from '../src/services/index'
import { STALE_MS } from '../src/services/agent/liveness'
import { INTERRUPTED } from '../src/services/agent/run-store'
import { block, newAgentWorld } from './agent-world'
import { WAIT } from './fixtures'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const SOURCE = 'function add(a, b) {\n  return a + b\n}\n'
const TYPED = 'function add(a: number, b: number): number {\n  return a + b\n}'

describe('two AI processes on one database', () => {
  it('a second process starting leaves the first one’s running run alone, and fails only a dead process’s', async () => {
    const database = await newTestDatabase()
    cleanups.push(() => database.close())
    const world = await newAgentWorld({ AGENT_BATCH_MS: '10' }, {}, { database })
    cleanups.push(() => world.close())
    const docName = await world.file('src/add.ts', SOURCE)
    const human = world.peer(docName)
    await human.synced()
    world.answer(block(SOURCE.trimEnd(), TYPED))
    // Held mid-stream, once the human sees the first typed parameter type.
    let streamed = ''
    const holdAfter = world.ollama.chunks.findIndex((c) => (streamed += c).includes('a: number'))
    Object.assign(world.ollama, { hold: true, holdAfter })
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    await vi.waitFor(() => expect(human.text.toString()).toContain('a: number'), WAIT)

    // A run a process left behind when it died: still `running`, its heartbeat long stopped.
    const orphan = crypto.randomUUID()
    await database.db.insert(agentRuns).values({
      id: orphan,
      projectId: world.projectId,
      docName: await world.file('src/other.ts', 'x\n'),
      path: 'src/other.ts',
      requesterId: world.owner.id,
      instruction: 'left behind',
      aliveAt: new Date(Date.now() - STALE_MS - 1000),
    })

    // Another AI process starts on the same database (a second node, or a restart of another one).
    const env = parseEnv({ LOG_LEVEL: 'silent', AI_WARMUP: 'false', OLLAMA_HOST: world.ollama.url })
    const second = createServices(env, database.db, createLogger('silent'))
    cleanups.push(() => second.close())
    await second.agent.recover()

    const owner = { id: world.owner.id, name: world.owner.name }
    expect(await second.agent.status(owner, runId)).toMatchObject({ state: 'running' })
    expect(await second.agent.status(owner, orphan)).toMatchObject({ state: 'failed', message: INTERRUPTED })
    // Recorded, not only reported: the row itself says so.
    const [row] = await database.db.select().from(agentRuns).where(eq(agentRuns.id, orphan))
    expect(row).toMatchObject({ state: 'failed', message: INTERRUPTED })

    // The first process's run goes on and ends as it would have.
    world.ollama.release()
    expect(await world.finished(runId)).toMatchObject({ state: 'done' })
    await vi.waitFor(() => expect(human.text.toString()).toBe(`${TYPED}\n`), WAIT)
  })
})
