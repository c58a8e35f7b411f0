import type { Db } from '@mimiverse/db'
import {
  createCollabTokenIssuer,
  createMemoryRateLimiter,
  createRedisRateLimiter,
  type AccessChanges,
  type CollabTokenIssuer,
  type Logger,
  type RateLimiter,
} from '@mimiverse/server-kit'
import type { Env } from '../env'
import { createAccessService, type AccessService } from './access'
import { createAccountService, type AccountService } from './accounts'
import { AuthorshipRecorder } from './authorship'
import { HistoryService } from './history'
import { HistoryRetention } from './history-retention'
import { CommentService } from './comments'
import { VersionStore } from './versions'
import { DocStore, type StoreObserver } from './doc-store'
import { createFileService, type FileService } from './files'
import { createProjectService, type ProjectService } from './projects'
import { createSettingsService, type SettingsService } from './settings'
import type { Redis } from 'ioredis'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Everything the API and the collab extensions need, built once per server. */
export interface Services {
  access: AccessService
  accounts: AccountService
  projects: ProjectService
  /** Each user's IDE settings and the project's presence colours. */
  settings: SettingsService
  files: FileService
  store: DocStore
  /** Who wrote what in each document, from authenticated connections (blame, rollback, co-authors). */
  authorship: AuthorshipRecorder
  versions: VersionStore
  history: HistoryService
  /** Thins file history as it ages; started and stopped with the server. */
  retention: HistoryRetention
  /** Review comments and the mentions inbox. */
  comments: CommentService
  tokens: CollabTokenIssuer
  limits: { signIn: RateLimiter; signInPerAddress: RateLimiter; signUp: RateLimiter }
}

export function createServices(
  db: Db,
  env: Env,
  secret: string,
  log: Logger,
  extras: { redis?: Redis; observer?: StoreObserver; accessChanges: AccessChanges },
): Services {
  const { redis, observer, accessChanges } = extras
  const access = createAccessService(db)
  const store = new DocStore(db, log.child({ component: 'doc-store' }), {
    observer,
    commitIntervalMs: env.STORE_COMMIT_INTERVAL_MS,
  })
  const quarterHour = 15 * 60_000
  // No `log` for Redis: a Redis failure refuses the attempt (fails closed) rather than lift the limit on
  // password guessing while Redis is down.
  const limiter = (name: string, opts: { limit: number; windowMs: number }) => {
    const options = { name, label: 'attempts', ...opts }
    return redis ? createRedisRateLimiter(redis, options) : createMemoryRateLimiter(options)
  }
  const authorship = new AuthorshipRecorder(db, log.child({ component: 'authorship' }))
  const versions = new VersionStore(db)
  return {
    access,
    accounts: createAccountService(db, env.SESSION_TTL_DAYS, accessChanges),
    projects: createProjectService(db, access, accessChanges),
    settings: createSettingsService(db, access),
    files: createFileService(db, access, store),
    store,
    authorship,
    versions,
    history: new HistoryService({ db, access, versions, authorship }),
    retention: new HistoryRetention(
      { db, versions, log: log.child({ component: 'history-retention' }) },
      {
        keepAllMs: env.HISTORY_KEEP_ALL_HOURS * HOUR,
        hourlyMs: env.HISTORY_KEEP_HOURLY_DAYS * DAY,
        retentionMs: env.HISTORY_RETENTION_DAYS * DAY,
        intervalMs: env.HISTORY_RETENTION_INTERVAL_MS,
      },
    ),
    comments: new CommentService({ db, access }),
    tokens: createCollabTokenIssuer(secret, env.COLLAB_TOKEN_TTL_SECONDS),
    limits: {
      // Per account and address: slows guessing one password; per address: slows spraying many accounts.
      signIn: limiter('signIn', { limit: 10, windowMs: quarterHour }),
      signInPerAddress: limiter('signInPerAddress', { limit: 100, windowMs: quarterHour }),
      signUp: limiter('signUp', { limit: 20, windowMs: 60 * 60_000 }),
    },
  }
}
