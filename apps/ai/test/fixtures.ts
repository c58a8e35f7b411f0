import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { afterEach } from 'vitest'
import type { Database } from '@mimiverse/db'
import { newTestDatabase } from '@mimiverse/db/testing'
import { createLogger, type Logger } from '@mimiverse/server-kit'
import { parseEnv } from '../src/env'
import { createAiHandler, type AiHandler } from '../src/handler'
import type { ServiceOverrides } from '../src/services/index'
import { newOllamaDouble, type OllamaDouble } from './doubles/ollama-double'
import { newTritonDouble, type TritonDouble } from './doubles/triton-double'
import { aiClient } from './seed'

export { aiClient, newProject, newUser } from './seed'

/** Polling budget of `vi.waitFor` for what a server or client must reach (a loaded CI machine is slow). */
export const WAIT = { timeout: 10_000, interval: 20 }

/** Registers cleanups that run after each test, newest first. */
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn)
}

export async function newOllama(overrides: Partial<OllamaDouble> = {}): Promise<OllamaDouble> {
  const d = await newOllamaDouble(overrides)
  onCleanup(() => d.close())
  return d
}

export async function newTriton(overrides: Partial<TritonDouble> = {}): Promise<TritonDouble> {
  const d = await newTritonDouble(overrides)
  onCleanup(() => d.close())
  return d
}

/** Redis 7 on this machine (CI: a redis service); override with TEST_REDIS_URL. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Whether Redis answers; without it Redis tests are skipped (visibly), unless REQUIRE_REDIS=1 makes them fail. */
export async function redisAvailable(): Promise<boolean> {
  if (process.env.REQUIRE_REDIS === '1') return true
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  probe.on('error', () => {})
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

/** A loopback address where nothing listens (a port that was just free). */
export async function deadAddress(): Promise<string> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return `127.0.0.1:${port}`
}

export interface TestAi {
  url: string
  handler: AiHandler
  database: Database
  client(token?: string): ReturnType<typeof aiClient>
}

/**
 * The AI handler on a real HTTP server on port 0, with a migrated in-memory database, pointed at the given
 * doubles through its environment (so the real clients and wiring are used). Warm-up and the search indexer
 * (which would embed through the doubles) are off unless asked.
 * Pass `database` to run a second instance on the same database.
 */
export async function newAi(
  options: {
    env?: Record<string, string>
    overrides?: ServiceOverrides
    database?: Database
    /** Where the handler logs (a test reads what was logged); default: stdout at LOG_LEVEL (silent). */
    log?: Logger
  } = {},
): Promise<TestAi> {
  const database = options.database ?? (await newTestDatabase())
  if (!options.database) onCleanup(() => database.close())
  const env = parseEnv({ LOG_LEVEL: 'silent', AI_WARMUP: 'false', SEARCH_INDEXER: 'false', ...options.env })
  const handler = createAiHandler({
    env,
    database,
    log: options.log ?? createLogger(env.LOG_LEVEL),
    overrides: options.overrides,
  })
  onCleanup(() => handler.close())
  const server = createServer((req, res) => {
    if (handler.matches(req.url)) return handler.handle(req, res)
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  onCleanup(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  )
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, handler, database, client: (token) => aiClient(url, token) }
}

/** The tRPC error code of a rejected call (`undefined` when it did not reject). */
export async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message: string } | undefined> {
  try {
    await p
    return undefined
  } catch (e: unknown) {
    const data = (e as { data?: { code?: string } }).data
    return { code: data?.code, message: e instanceof Error ? e.message : String(e) }
  }
}
