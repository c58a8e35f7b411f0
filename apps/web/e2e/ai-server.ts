import { createAiHandler, parseAiEnv } from '@mimiverse/ai/handler'
import { newTestServer, type TestServer } from '@mimiverse/collab/testing'
import { webRoot } from './harness'

/**
 * The embedded layout of `npm start` (scripts/embedded.ts) for tests: a server on its own port with the AI
 * handler mounted at `/ai`, sharing `database` (sessions, memberships, document text) with the harness'
 * server, and its models at `ollamaUrl`. `agent: false` leaves the agent unconfigured (its
 * calls then fail with "not configured", as on a standalone AI service without COLLAB_URL and SECRET).
 */
export interface AiFront {
  url: string
  close(): Promise<void>
}

export async function newAiFront(
  database: TestServer['database'],
  ollamaUrl: string,
  options: { agent?: boolean } = {},
): Promise<AiFront> {
  const server = await newTestServer({
    database,
    webRoot,
    mounts: ({ database: db, log, secret, collabUrl, accessChanges }) => [
      createAiHandler({
        env: parseAiEnv({ OLLAMA_HOST: ollamaUrl, AI_WARMUP: 'false', LOG_LEVEL: 'silent' }),
        database: db,
        log,
        processMetrics: false,
        accessChanges,
        // As in scripts/embedded.ts: the agent joins documents through this server's own collab endpoint.
        ...(options.agent === false ? {} : { collab: { url: collabUrl, secret } }),
      }),
    ],
  })
  return { url: server.url, close: () => server.stop() }
}
