import { resolve } from 'node:path'
import { z } from 'zod'
import { bodyBudgetBytesSchema } from '@mimiverse/server-kit'

/**
 * The collab server's configuration, parsed once at start-up; nothing else reads `process.env`.
 * Every variable is documented in the README and `.env.example`.
 */
const fields = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Set when a reverse proxy (one hop, such as the compose nginx) is in front: the client address for rate limits
   * is then the last `X-Forwarded-For` entry, the one that proxy added. Unset: the socket's address.
   */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Public origin used in printed URLs and invite links; defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SECRET: z.string().min(32, 'must be at least 32 characters (use `openssl rand -hex 32`)').optional(),
  COLLAB_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /**
   * Bytes of API request bodies this node may buffer at once beyond each body's small allowance (file texts,
   * AI conversations); a request that would pass it is refused with 503 and Retry-After. In the embedded default
   * the AI service takes from the same budget.
   */
  HTTP_BODY_BUDGET_BYTES: bodyBudgetBytesSchema,
  COLLAB_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /**
   * A socket that has no Auth accepted this long after it opened is closed (4408). A provider sends its Auth as
   * soon as it has a token, one API call away; 10 s covers a slow API, and bounds how long a stranger's socket
   * stays open for nothing.
   */
  COLLAB_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Lines per second that sockets can make the node log before their authentication is accepted (refused frames,
   * refused authentication, socket errors); the rest are counted in one summary line a second.
   */
  COLLAB_STRANGER_LOG_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /**
   * Open sockets per client address (an IPv6 address counts as its /64), checked before upgrading (HTTP 429).
   * A browser uses one socket per open project tab: 64 leaves room for several people behind one NAT, while one
   * host alone cannot take more than 1/150 of the node. Raise it when a whole office shares one address.
   */
  COLLAB_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(64),
  /** Sockets on which one user has authenticated documents (4429); agent runs count for their requester. */
  COLLAB_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(32),
  /** Open sockets on this node, checked before upgrading (HTTP 503). Each costs file descriptors and memory. */
  COLLAB_MAX_SOCKETS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Bytes all sockets of the node together may have queued for documents they have not authenticated (each socket
   * at most COLLAB_MAX_MESSAGE_BYTES); the frame that would pass it closes its socket (4429). Honest providers
   * queue almost nothing; 64 MiB bounds what strangers can make the node hold however many sockets they open.
   */
  COLLAB_MAX_UNAUTHENTICATED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  /**
   * Authenticated (socket, document) pairs of one user on this node (4429). Each open file is one; 256 is far
   * more than anyone keeps open, and bounds the documents one account can make the node load.
   */
  COLLAB_MAX_DOCUMENTS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(256),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  STORE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  STORE_MAX_DEBOUNCE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Group commit window: INSERTs into the update log start at most once per this many ms, each carrying every
   * update that arrived meanwhile (see DocStore). 0 starts the next one as soon as the previous committed.
   */
  STORE_COMMIT_INTERVAL_MS: z.coerce.number().min(0).max(100).default(4),
  /** While a document has clients, compact its log only from this many updates on (see DurableLogExtension). */
  STORE_COMPACT_MIN_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** A version of a document is taken once it has had no change for this many ms (see VersionsExtension). */
  HISTORY_IDLE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** While people keep typing, a version at least this often, in ms. */
  HISTORY_MAX_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /**
   * File history is thinned as it ages (see HistoryRetention): every version younger than HISTORY_KEEP_ALL_HOURS,
   * then one an hour up to HISTORY_KEEP_HOURLY_DAYS, then one a day up to this many days, then none; named
   * versions are always kept. 0 keeps every version.
   */
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  HISTORY_KEEP_ALL_HOURS: z.coerce.number().min(0).max(8760).default(24),
  HISTORY_KEEP_HOURLY_DAYS: z.coerce.number().min(0).max(36_500).default(7),
  /** How often history retention runs, in ms. */
  HISTORY_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /**
   * Each document's awareness (cursors, selections) is broadcast at most once per this many ms, the changes of
   * the interval gathered into one message (see AwarenessThrottleExtension). 0 broadcasts every update.
   */
  COLLAB_AWARENESS_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).default(100),
  /**
   * Presence (awareness) updates one socket may send per second, sustained; more closes it with 4429 (see
   * PresenceGuardExtension). A cursor move is one update; holding a key down repeats about 30 times a second.
   */
  COLLAB_PRESENCE_RATE: z.coerce.number().positive().max(10_000).default(30),
  /** Bytes of presence updates one socket may send per second, sustained; a person's state is under 1 KiB. */
  COLLAB_PRESENCE_BYTES_RATE: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .max(64 * 1024 * 1024)
    .default(32 * 1024),
  /** How many seconds' worth of both presence rates a socket may send at once (a reconnect, a burst of moves). */
  COLLAB_PRESENCE_BURST_SECONDS: z.coerce.number().min(1).max(60).default(2),
  /** Redis for several collab nodes: documents, rate limits. Unset: one node, in-process state. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (at most 64)')
    .default('mimiverse'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  WEB_DIST: z.string().min(1).optional(),
  INIT_CWD: z.string().optional(),
})

const envSchema = fields.refine(
  (e) =>
    e.HISTORY_RETENTION_DAYS === 0 ||
    (e.HISTORY_KEEP_ALL_HOURS <= e.HISTORY_KEEP_HOURLY_DAYS * 24 &&
      e.HISTORY_KEEP_HOURLY_DAYS <= e.HISTORY_RETENTION_DAYS),
  {
    path: ['HISTORY_RETENTION_DAYS'],
    message:
      'needs HISTORY_KEEP_ALL_HOURS <= HISTORY_KEEP_HOURLY_DAYS * 24 <= HISTORY_RETENTION_DAYS * 24 (or 0: keep every version)',
  },
)

export type Env = z.infer<typeof envSchema> & { DATA_DIR: string }

/** Parses the environment or throws an error that lists every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const env = result.data
  // npm runs workspace scripts inside the workspace folder; INIT_CWD is where the user typed `npm start`.
  const base = env.INIT_CWD ?? process.cwd()
  return { ...env, DATA_DIR: resolve(base, env.DATA_DIR ?? '.mimiverse') }
}
