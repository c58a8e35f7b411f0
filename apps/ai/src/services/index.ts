import { Redis } from 'ioredis'
import type { Db } from '@mimiverse/db'
import type { Env } from '../env'
import {
  createAccessChanges,
  createCollabTokenIssuer,
  createMemoryRateLimiter,
  createRedisRateLimiter,
  type AccessChanges,
  type Logger,
  type RateLimiter,
} from '@mimiverse/server-kit'
import { createAccessCache, type AccessCache } from './access-cache'
import { createAgentService, type AgentService } from './agent/agent-service'
import type { CommandRunner } from './agent/task/command-runner'
import { createMcpServerService, type McpServerService } from './agent/mcp-servers/server-service'
import { createTaskService, type TaskService } from './agent/task/task-service'
import { createToolChat } from './agent/task/tool-chat'
import { createBreaker, type Breaker } from './breaker'
import { createMemoryCache, createRedisCache } from './cache'
import { createChatService, type ChatService } from './chat'
import type { CodebaseSearch } from './chat-context'
import { createCompletionService, type CompletionService } from './completion'
import { createCompletionEvents, type CompletionEvents } from './completion-events'
import { createCompletionSources, type CompletionSources } from './completion-sources'
import { createEmbeddingService, type EmbeddingService } from './embeddings'
import { createMetrics, type AiMetrics } from './metrics'
import { modelsReport, type ModelsReport } from './models'
import { createOllamaBackend, type OllamaBackend } from './ollama'
import { createSearchService, type SearchService } from './search/index'
import { createTritonBackend, type TritonBackend } from './triton'
import { createWorkspace, type Workspace } from './workspace'
import { createMcpTokens, type McpTokens } from './mcp/tokens'
import type { ProjectPresence, WorkspaceGit } from './mcp/workspace-views'

/** Everything the AI procedures need, built once per handler. */
export interface Services {
  workspace: Workspace
  /**
   * The completion hot path's short-lived memory of sessions and roles (`ai.complete`, `ai.completionEvent`);
   * every other procedure asks the database each time.
   */
  access: AccessCache
  /** Sign-outs and membership changes, which `access` forgets at once. */
  accessChanges: AccessChanges
  chat: ChatService
  completion: CompletionService
  /** What inline completion reads for its repository context. */
  completionSources: CompletionSources
  completionEvents: CompletionEvents
  embeddings: EmbeddingService
  models(): Promise<ModelsReport>
  /** Code search: queries, status and the live indexer (started by the handler unless SEARCH_INDEXER=false). */
  search: SearchService
  /** What `@codebase` in the chat searches with (the search service unless overridden; `null`: unavailable). */
  codebase: CodebaseSearch | null
  agent: AgentService
  /** The agent's task runs (tools across the project). */
  tasks: TaskService
  /** The project MCP servers whose tools task runs offer the model. */
  mcpServers: McpServerService
  /** Personal access tokens of outside agents (`/mcp`). */
  mcpTokens: McpTokens
  /** `completionEvents` allows three events per allowed completion (shown, then accepted or dismissed). */
  limits: {
    chat: RateLimiter
    complete: RateLimiter
    completionEvents: RateLimiter
    embed: RateLimiter
    search: RateLimiter
    agent: RateLimiter
    /** Requests to `/mcp`, per personal access token. */
    mcp: RateLimiter
  }
  metrics: AiMetrics
  breakers: { ollama: Breaker; triton: Breaker }
  /** Loads the chat and completion models in the background; failures are logged, not thrown. */
  warmUp(): Promise<void>
  close(): Promise<void>
}

/** Replaceable parts, for tests (backends pointed at doubles) and for later issues (code search). */
export interface ServiceOverrides {
  ollama?: OllamaBackend
  triton?: TritonBackend | null
  codebase?: CodebaseSearch | null
  /** The embedder of code search (tests count its calls); default: the service's embedding chain. */
  searchEmbeddings?: EmbeddingService
  metrics?: AiMetrics
  /** Rate limits and the completion cache use it with the keys under its `keyPrefix` (ours: `mimi:ai:`). */
  redis?: Redis | null
  /**
   * How the agent reaches collab in the embedded default: the host's collab URL (read once listening) and
   * secret. A separate process uses COLLAB_URL and SECRET instead.
   */
  collab?: { url: () => string; secret: string }
  /**
   * The host's bus of access changes, so the workspace API's sign-outs in this process reach the cache at once
   * (the embedded default). Default: a bus of our own, on Redis when REDIS_URL is set.
   */
  accessChanges?: AccessChanges
  /** The workspace terminal the agent's `run_command` uses; default none (the tool says so to the model). */
  commands?: CommandRunner | null
  /** Who is where in a project, for outside agents' `get_presence` (the collab node's); default none. */
  presence?: ProjectPresence | null
  /** The workspace's git, for outside agents' `git_diff` (the runner's); default none. */
  git?: WorkspaceGit | null
  /** Called with our own time of each agent tool round trip, in ms (the benchmark). */
  onAgentToolTime?: (tool: string, ms: number) => void
}

/** Sessions and roles held by the completion path's access cache, each. */
const ACCESS_CACHE_ENTRIES = 10_000

/** Collab tokens for the agent are valid this long (each connection asks for a fresh one). */
const AGENT_TOKEN_TTL_SECONDS = 300

export function createServices(env: Env, db: Db, log: Logger, overrides: ServiceOverrides = {}): Services {
  const metrics = overrides.metrics ?? createMetrics()
  const breaker = (name: string) =>
    createBreaker({
      name,
      failures: env.BREAKER_FAILURES,
      cooldownMs: env.BREAKER_COOLDOWN_MS,
      onChange: (state) => {
        metrics.breakerOpen.set({ backend: name }, state === 'closed' ? 0 : 1)
        log.warn('circuit breaker changed', { backend: name, state })
      },
    })
  const breakers = { ollama: breaker('ollama'), triton: breaker('triton') }
  const ollama =
    overrides.ollama ??
    createOllamaBackend({
      host: env.OLLAMA_HOST,
      timeoutMs: env.OLLAMA_TIMEOUT_MS,
      keepAlive: env.OLLAMA_KEEP_ALIVE,
    })
  const triton =
    overrides.triton !== undefined
      ? overrides.triton
      : env.TRITON_URL
        ? createTritonBackend({ url: env.TRITON_URL, timeoutMs: env.TRITON_TIMEOUT_MS })
        : null
  const ownsRedis = overrides.redis === undefined && env.REDIS_URL !== undefined
  const redis =
    overrides.redis !== undefined ? overrides.redis : env.REDIS_URL ? connectRedis(env.REDIS_URL, log) : null
  const { limits, cache } = createStores(env, redis, log)
  const ollamaRef = { backend: ollama, breaker: breakers.ollama }
  const tritonRef = triton
    ? { backend: triton, breaker: breakers.triton, model: env.TRITON_EMBED_MODEL }
    : null
  const embeddings = createEmbeddingService({
    triton: tritonRef,
    ollama: { ...ollamaRef, model: env.MODEL_EMBED },
    dimensions: env.EMBED_DIMENSIONS,
    metrics,
    log,
  })
  const search = createSearchService({
    db,
    embeddings: overrides.searchEmbeddings ?? embeddings,
    metrics,
    log,
    pollMs: env.SEARCH_POLL_MS,
    debounceMs: env.SEARCH_DEBOUNCE_MS,
    maxWaitMs: env.SEARCH_MAX_WAIT_MS,
    maxFileBytes: env.SEARCH_MAX_FILE_BYTES,
    maxChunksPerFile: env.SEARCH_MAX_CHUNKS_PER_FILE,
  })
  const workspace = createWorkspace(db, log)
  const accessChanges = overrides.accessChanges ?? createAccessChanges({ redis, log })
  const access = createAccessCache({
    lookups: workspace,
    ttlMs: env.AI_ACCESS_CACHE_MS,
    maxEntries: ACCESS_CACHE_ENTRIES,
  })
  const unsubscribe = accessChanges.subscribe((change) => access.invalidate(change))
  const codebase = overrides.codebase !== undefined ? overrides.codebase : search.codebase
  const completion = createCompletionService({
    ollama,
    breaker: breakers.ollama,
    model: env.MODEL_COMPLETE,
    fim: env.COMPLETE_FIM,
    cache,
    timeoutMs: env.COMPLETE_TIMEOUT_MS,
    contextChars: env.COMPLETE_CONTEXT_CHARS,
    metrics,
    log,
  })
  const completionEvents = createCompletionEvents({ db, log })
  const chat = createChatService({ ollama, breaker: breakers.ollama, model: env.MODEL_CHAT, metrics, log })
  const models = () =>
    modelsReport({
      ollama: ollamaRef,
      triton: tritonRef,
      models: { chat: env.MODEL_CHAT, complete: env.MODEL_COMPLETE, embed: env.MODEL_EMBED },
    })
  const agent = createAgentService({
    db,
    workspace,
    chat,
    models,
    collab: agentCollab(env, overrides.collab),
    limit: limits.agent,
    log,
    metrics,
    batchMs: env.AGENT_BATCH_MS,
    keepRuns: env.AGENT_KEEP_RUNS,
    keepMs: env.AGENT_UNDO_TTL_MINUTES * 60_000,
    collabTimeoutMs: env.AGENT_COLLAB_TIMEOUT_MS,
  })
  const mcpServers = createMcpServerService({
    db,
    workspace,
    secret: env.SECRET ?? overrides.collab?.secret ?? null,
    allowedHttpHosts: env.AGENT_MCP_HTTP_HOSTS,
    log,
  })
  const tasks = createTaskService({
    db,
    workspace,
    search,
    model: createToolChat({ ollama, breaker: breakers.ollama, model: env.MODEL_CHAT, metrics }),
    models,
    collab: agentCollab(env, overrides.collab),
    commands: overrides.commands ?? null,
    git: overrides.git ?? null,
    mcpServers,
    mcpTimeouts: { listMs: env.AGENT_MCP_LIST_TIMEOUT_MS, callMs: env.AGENT_MCP_CALL_TIMEOUT_MS },
    limit: limits.agent,
    log,
    metrics,
    maxSteps: env.AGENT_MAX_STEPS,
    maxTokens: env.AGENT_MAX_TOKENS,
    commandTimeoutMs: env.AGENT_COMMAND_TIMEOUT_MS,
    collabTimeoutMs: env.AGENT_COLLAB_TIMEOUT_MS,
    keepRuns: env.AGENT_KEEP_RUNS,
    keepMs: env.AGENT_UNDO_TTL_MINUTES * 60_000,
    onToolTime: overrides.onAgentToolTime,
  })
  return {
    workspace,
    access,
    tasks,
    mcpServers,
    mcpTokens: createMcpTokens({ db, workspace, log }),
    accessChanges,
    chat,
    agent,
    completion,
    completionSources: createCompletionSources({ workspace, codebase }),
    completionEvents,
    embeddings,
    models,
    search,
    codebase,
    limits,
    metrics,
    breakers,
    warmUp: () => warmUp(ollama, completion, env, log),
    close: async () => {
      await agent.close()
      await tasks.close()
      await search.indexer.stop()
      triton?.close()
      await completionEvents.flush()
      unsubscribe()
      if (!overrides.accessChanges) await accessChanges.close()
      if (ownsRedis) await redis?.quit().catch(() => redis.disconnect())
    },
  }
}

/** The agent's way to collab: COLLAB_URL and SECRET, else what the embedding host passed, else none. */
function agentCollab(env: Env, host: ServiceOverrides['collab']) {
  const secret = env.SECRET ?? host?.secret
  const url = env.COLLAB_URL ?? host?.url
  if (!secret || !url) return null
  const tokens = createCollabTokenIssuer(secret, AGENT_TOKEN_TTL_SECONDS)
  return { url: typeof url === 'string' ? () => url : url, tokens }
}

function connectRedis(url: string, log: Logger): Redis {
  // No offline queue: while Redis is down, commands fail at once (see redisReady) instead of waiting.
  const redis = new Redis(url, {
    keyPrefix: 'mimi:ai:',
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
  })
  redis.on('error', (e: Error) => log.warn('redis error', { error: e.message }))
  return redis
}

/** Rate limits and the completion cache: in Redis when there is one, in this process otherwise. */
function createStores(env: Env, redis: Redis | null, log: Logger) {
  const limit = (name: string, perMinute: number): RateLimiter => {
    const opts = { name, label: `AI ${name} requests`, limit: perMinute, windowMs: 60_000 }
    // With `log`, a Redis outage lets requests through (logged) instead of failing every AI call.
    return redis ? createRedisRateLimiter(redis, { ...opts, log }) : createMemoryRateLimiter(opts)
  }
  return {
    limits: {
      chat: limit('chat', env.AI_CHAT_PER_MINUTE),
      complete: limit('complete', env.AI_COMPLETE_PER_MINUTE),
      completionEvents: limit('completion-event', env.AI_COMPLETE_PER_MINUTE * 3),
      embed: limit('embed', env.AI_EMBED_PER_MINUTE),
      search: limit('search', env.AI_SEARCH_PER_MINUTE),
      agent: limit('agent edit', env.AGENT_PER_MINUTE),
      mcp: limit('mcp', env.MCP_PER_MINUTE),
    },
    cache: redis
      ? createRedisCache(redis, { ttlSeconds: env.COMPLETE_CACHE_TTL_SECONDS, log })
      : createMemoryCache({
          maxEntries: env.COMPLETE_CACHE_ENTRIES,
          ttlMs: env.COMPLETE_CACHE_TTL_SECONDS * 1000,
        }),
  }
}

async function warmUp(
  ollama: OllamaBackend,
  completion: CompletionService,
  env: Env,
  log: Logger,
): Promise<void> {
  // The completion model through its service, which then stops treating its first request as a cold load.
  const jobs: [string, () => Promise<void>][] = [
    [env.MODEL_COMPLETE, () => completion.warmUp()],
    [env.MODEL_CHAT, () => ollama.warmUp(env.MODEL_CHAT, 'generate')],
    [env.MODEL_EMBED, () => ollama.warmUp(env.MODEL_EMBED, 'embed')],
  ]
  for (const [model, load] of jobs) {
    try {
      await load()
      log.info('model warmed up', { model })
    } catch (e: unknown) {
      log.warn('model warm-up failed', { model, error: e instanceof Error ? e.message : String(e) })
    }
  }
}
