import { openDatabase, migrate, type Database } from '@mimiverse/db'
import {
  createBodyBudget,
  createCollabTokenIssuer,
  createLogger,
  type AccessChanges,
  type BodyBudget,
  type Logger,
} from '@mimiverse/server-kit'
import { agentTokenName } from '@mimiverse/shared'
import { parseEnv, type Env } from '../env'
import { lateMountDeps, type MountDeps, type RunOptions } from '../run'
import { startServer, type MimiverseServer } from '../server'
import { connectAccessChanges } from '../services/redis'

/** The secret test servers sign collab tokens with (a mounted AI service shares it). */
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef'

/**
 * A collab token for the AI agent acting for `requester` in `docName`, signed with TEST_SECRET as the AI service
 * signs them: for tests that play the agent without running it.
 */
export function agentTestToken(opts: {
  requester: { id: string; name: string }
  projectId: string
  docName: string
  runId: string
}): string {
  return createCollabTokenIssuer(TEST_SECRET, 300).issue({
    userId: opts.requester.id,
    name: agentTokenName(opts.requester.name),
    projectId: opts.projectId,
    role: 'editor',
    agent: { runId: opts.runId, doc: opts.docName },
  }).token
}

/** A workspace mirror's collab token for `projectId`, signed with TEST_SECRET as the runner signs them. */
export function workspaceTestToken(projectId: string): string {
  return createCollabTokenIssuer(TEST_SECRET, 300).issueWorkspace(projectId).token
}

export interface TestServer extends MimiverseServer {
  database: Database
  /** The bus the server hears access changes on: tests publish what an API call would. */
  accessChanges: AccessChanges
  /** Stops the server; the database too unless it was passed in. */
  stop(): Promise<void>
}

/**
 * A real server on a loopback port 0 with a migrated in-memory PGlite database (or the one given), as in
 * hocuspocus' `tests/utils/newHocuspocus.ts`. Logs are silent unless LOG_LEVEL is set.
 */
export async function newTestServer(
  options: {
    env?: Record<string, string>
    database?: Database
    webRoot?: string
    /** Where the server logs (a test reads what was logged); default: stdout at LOG_LEVEL (silent). */
    log?: Logger
    /** The node's budget of buffered request bodies (a test watches what it holds); default: HTTP_BODY_BUDGET_BYTES. */
    bodyBudget?: BodyBudget
    /** Other handlers on the same port, as `scripts/embedded.ts` mounts the AI service. */
    mounts?: (deps: MountDeps) => ReturnType<NonNullable<RunOptions['mounts']>>
  } = {},
): Promise<TestServer> {
  const env: Env = parseEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  const database = options.database ?? (await openDatabase({}))
  if (!options.database) await migrate(database)
  const log = options.log ?? createLogger(env.LOG_LEVEL)
  const secret = TEST_SECRET
  const accessChanges = connectAccessChanges(env.REDIS_URL, env.REDIS_PREFIX, log)
  await accessChanges.ready()
  const bodyBudget = options.bodyBudget ?? createBodyBudget(env.HTTP_BODY_BUDGET_BYTES)
  const late = lateMountDeps({ database, log, secret, accessChanges, bodyBudget })
  const server = await startServer({
    env,
    database,
    secret,
    log,
    accessChanges,
    bodyBudget,
    mounts: options.mounts?.(late.deps),
    onProjectActivity: late.onProjectActivity,
    webRoot: options.webRoot ?? new URL('../../../web/public', import.meta.url).pathname,
  })
  late.listening(server, env.HOST)
  return {
    ...server,
    database,
    accessChanges,
    stop: async () => {
      await server.close()
      await accessChanges.close()
      if (!options.database) await database.close()
    },
  }
}
