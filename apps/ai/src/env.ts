import { z } from 'zod'
import { bodyBudgetBytesSchema } from '@mimiverse/server-kit'

const ms = (def: number, max = 600_000) => z.coerce.number().int().min(1).max(max).default(def)
const perMinute = (def: number) => z.coerce.number().int().min(1).max(100_000).default(def)
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1')

/**
 * The AI service's configuration, parsed once at start-up; nothing else reads `process.env`.
 * Every variable is documented in the README and `.env.example`.
 */
const envSchema = z.object({
  /** Port of the standalone service (`main.ts`); the embedded default mounts the handler on the collab port. */
  AI_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  AI_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  OLLAMA_HOST: z.url().default('http://127.0.0.1:11434'),
  MODEL_CHAT: z.string().min(1).default('qwen2.5-coder:7b'),
  MODEL_COMPLETE: z.string().min(1).default('qwen2.5-coder:1.5b-base'),
  MODEL_EMBED: z.string().min(1).default('nomic-embed-text'),
  /** Dimensions of MODEL_EMBED (nomic-embed-text: 768); the local embedder uses the same width. */
  EMBED_DIMENSIONS: z.coerce.number().int().min(8).max(8192).default(768),
  /** `auto`: Qwen's FIM tokens with `raw` for qwen*-coder models, Ollama's `suffix` otherwise. */
  COMPLETE_FIM: z.enum(['auto', 'suffix', 'raw']).default('auto'),
  /** How long Ollama keeps a model loaded after a request (Ollama syntax: `30m`, `1h`, `-1`). */
  OLLAMA_KEEP_ALIVE: z.string().min(1).default('30m'),
  /** Loads the chat and completion models at start-up so the first keystroke does not wait for a load. */
  AI_WARMUP: flag(true),
  /** Non-streamed Ollama calls (embed, show, tags), and the wait for each chunk of a chat stream. */
  OLLAMA_TIMEOUT_MS: ms(60_000),
  /** A whole inline completion, model load included. */
  COMPLETE_TIMEOUT_MS: ms(15_000),
  /** Characters of repository context (recent edits, search hits, other open files) ahead of a completion. */
  COMPLETE_CONTEXT_CHARS: z.coerce.number().int().min(0).max(32_000).default(2048),
  /** Triton gRPC address `host:port` (KServe v2, default port 8001). Unset: Triton is not used. */
  TRITON_URL: z.string().min(1).optional(),
  TRITON_EMBED_MODEL: z.string().min(1).default('nomic-embed-text'),
  /** Deadline of every Triton call. */
  TRITON_TIMEOUT_MS: ms(2000),
  /** Consecutive failures that open a backend's circuit, and how long it stays open before one trial call. */
  BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  BREAKER_COOLDOWN_MS: ms(15_000),
  /** Shared rate limits and completion cache; unset: kept in this process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  AI_CHAT_PER_MINUTE: perMinute(20),
  AI_COMPLETE_PER_MINUTE: perMinute(240),
  AI_EMBED_PER_MINUTE: perMinute(60),
  /**
   * How long the completion path trusts a session's user and a member's role without asking the database, in
   * ms (0: always ask). Sign-out and membership changes invalidate at once; this bounds what nobody announced.
   */
  AI_ACCESS_CACHE_MS: z.coerce.number().int().min(0).max(30_000).default(5000),
  COMPLETE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  COMPLETE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /**
   * The AI agent joins documents as a collaborator: the collab WebSocket URL (`ws://collab:3000/collab`)
   * and the collab server's SECRET, to issue its own collab tokens. Both are required for the agent in a
   * separate process; the embedded default passes them itself (COLLAB_URL then overrides the computed URL).
   */
  COLLAB_URL: z
    .string()
    .regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')
    .optional(),
  SECRET: z.string().min(32, 'must be the collab server’s SECRET (at least 32 characters)').optional(),
  AGENT_PER_MINUTE: perMinute(10),
  /** Shortest time between two batches of the agent's typing, in ms. */
  AGENT_BATCH_MS: ms(20, 1000),
  /** Finished runs kept in memory for Undo, and for how long. */
  AGENT_KEEP_RUNS: z.coerce.number().int().min(1).max(10_000).default(200),
  AGENT_UNDO_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  /** Model turns one task run may take, and tokens (prompt + answer, all turns) it may spend. */
  AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(500).default(30),
  AGENT_MAX_TOKENS: z.coerce.number().int().min(1000).max(10_000_000).default(300_000),
  /** Longest a command the agent runs in the workspace terminal may take. */
  AGENT_COMMAND_TIMEOUT_MS: ms(120_000, 3_600_000),
  /** Longest wait for the collab server (sync, acknowledgement of the agent's edits). */
  AGENT_COLLAB_TIMEOUT_MS: ms(10_000),
  /**
   * Hosts (names or addresses, comma-separated, any port) whose MCP servers may be reached over plain http
   * (every other server must be https), and the only loopback hosts allowed at all: a project's editors must
   * not point the agent at this machine's own services unless the operator says so.
   */
  AGENT_MCP_HTTP_HOSTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Longest wait for a project MCP server to connect and list its tools at the start of a run. */
  AGENT_MCP_LIST_TIMEOUT_MS: ms(10_000, 120_000),
  /** Longest one call of a project MCP server's tool may take. */
  AGENT_MCP_CALL_TIMEOUT_MS: ms(120_000, 3_600_000),
  /** Calls to `/mcp` one personal access token may make per minute (every JSON-RPC request counts). */
  MCP_PER_MINUTE: perMinute(1200),
  /** Largest request body `/mcp` reads (a JSON-RPC message with an edit_file of large quotes). */
  MCP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  /**
   * Origins (besides the request's own host) whose browsers may call `/mcp`, comma-separated; requests without
   * an Origin (command-line agents) are always let through to the token check.
   */
  MCP_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  AI_SEARCH_PER_MINUTE: perMinute(300),
  /** Runs the code search indexer in this process (several replicas share the queue). */
  SEARCH_INDEXER: flag(true),
  /** How often the indexer polls its queue. */
  SEARCH_POLL_MS: ms(250, 60_000),
  /** Quiet time after a document's last change before it is re-indexed… */
  SEARCH_DEBOUNCE_MS: ms(300, 60_000),
  /** …and the longest a document waits while people keep typing. */
  SEARCH_MAX_WAIT_MS: ms(2000, 600_000),
  /** Larger files are listed but not indexed. */
  SEARCH_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Chunks indexed per file (about 40–80 lines each); the rest of a longer file is not indexed. */
  SEARCH_MAX_CHUNKS_PER_FILE: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Bytes of request bodies the standalone service may buffer at once (see the collab server's). */
  HTTP_BODY_BUDGET_BYTES: bodyBudgetBytesSchema,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

export type Env = z.infer<typeof envSchema>

/** Parses the environment or throws an error that lists every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid AI service configuration:\n${lines.join('\n')}`)
  }
  return result.data
}
